# Open MPI for gy.par: optional. Without it (or with -DGY_WITH_MPI=OFF) libgyrus runs every
# gy.par function as a run of one process and the mpirun tests are not registered.
option(GY_WITH_MPI "Build gy.par with MPI (mpirun/srun across processes)" ON)
set(GY_MPI_FOUND OFF)
if(GY_WITH_MPI)
  find_package(MPI COMPONENTS C QUIET)
  if(MPI_C_FOUND)
    set(GY_MPI_FOUND ON)
    target_link_libraries(gyrus_core PUBLIC MPI::MPI_C)
    target_compile_definitions(gyrus_core PRIVATE GY_HAVE_MPI=1)
    message(STATUS "gy.par: MPI ${MPI_C_VERSION} (${MPIEXEC_EXECUTABLE})")
  else()
    message(STATUS "gy.par: MPI not found; gy.par runs as one process")
  endif()
endif()

# tests/par/*.lua run under `mpirun -np 2` and compare with a one-process run. Open MPI
# keeps allocations from MPI_Init to exit in plugins it unloads, which LeakSanitizer reports
# without a usable stack (no suppression can name them): in the Sanitize build these tests
# run with ASan and UBSan but without leak detection. Leaks of gy.par's own code are checked
# by c.test_par and lua.par_spec, which run without MPI.
if(GY_MPI_FOUND AND MPIEXEC_EXECUTABLE)
  set(GY_MPIRUN_FLAGS ${MPIEXEC_NUMPROC_FLAG} 2 --oversubscribe)
  execute_process(COMMAND id -u OUTPUT_VARIABLE GY_UID OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(GY_UID STREQUAL "0")
    list(APPEND GY_MPIRUN_FLAGS --allow-run-as-root)
  endif()
  set(GY_PAR_ENV ${GY_TEST_ENV})
  if(CMAKE_BUILD_TYPE STREQUAL "Sanitize")
    list(FILTER GY_PAR_ENV EXCLUDE REGEX "^ASAN_OPTIONS=")
    list(APPEND GY_PAR_ENV "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0")
  endif()
  file(GLOB GY_PAR_SPECS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/par/*_spec.lua)
  foreach(spec ${GY_PAR_SPECS})
    get_filename_component(name ${spec} NAME_WE)
    add_test(NAME par.${name}
             COMMAND ${MPIEXEC_EXECUTABLE} ${GY_MPIRUN_FLAGS} $<TARGET_FILE:gyrus>
                     ${CMAKE_SOURCE_DIR}/tests/lua/run.lua ${spec}
             WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
    set_tests_properties(par.${name} PROPERTIES ENVIRONMENT "${GY_PAR_ENV}" TIMEOUT 300)
  endforeach()
  # One rank fails: the run must end (not hang) with that rank's message and a failure.
  add_test(NAME par.error_one_rank
           COMMAND ${CMAKE_COMMAND} -DMPIRUN=${MPIEXEC_EXECUTABLE} "-DFLAGS=${GY_MPIRUN_FLAGS}"
                   -DGYRUS=$<TARGET_FILE:gyrus> -DSCRIPT=${CMAKE_SOURCE_DIR}/tests/par/error_one_rank.lua
                   -P ${CMAKE_SOURCE_DIR}/tests/par/expect_abort.cmake
           WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties(par.error_one_rank PROPERTIES ENVIRONMENT "${GY_PAR_ENV}" TIMEOUT 120)
endif()
