# Runs SCRIPT under mpirun: it must fail within the timeout and print the failing rank's
# message (tests/par/error_one_rank.lua raises on rank 1 only).
execute_process(COMMAND ${MPIRUN} ${FLAGS} ${GYRUS} ${SCRIPT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
message("exit: ${rc}\nstdout:\n${out}\nstderr:\n${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the run succeeded although rank 1 raised an error")
endif()
if(rc MATCHES "timeout|Process terminated due to timeout")
  message(FATAL_ERROR "the run hung")
endif()
if(NOT err MATCHES "rank 1: .*boom on rank 1")
  message(FATAL_ERROR "the message of rank 1 is missing")
endif()
