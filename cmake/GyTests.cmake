# C unit tests: tests/c/test_<module>.c, one executable each, linked with libgyrus.
# Lua specs: tests/lua/<module>_spec.lua, run end to end by the real `gyrus` binary.
# The real data sets fetched by scripts/setup.sh (scripts/fetch_data.sh).
if(NOT "$ENV{GY_DATA}" STREQUAL "")
  set(GY_DATA_DIR "$ENV{GY_DATA}")
elseif(NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
  set(GY_DATA_DIR "$ENV{XDG_CACHE_HOME}/gyrus/data")
else()
  set(GY_DATA_DIR "$ENV{HOME}/.cache/gyrus/data")
endif()

set(GY_TEST_ENV
  "GY_DATA=${GY_DATA_DIR}"
  "OPENBLAS_NUM_THREADS=1"
  "GY_PLOT_DEVICE=svg"
  "GY_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  "GY_BINARY_DIR=${CMAKE_BINARY_DIR}"
  "GY_GYRUS=$<TARGET_FILE:gyrus>"
  "GY_HISTORY=${CMAKE_BINARY_DIR}/test_history"
  "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0"
  "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp"
  "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")

file(GLOB GY_C_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/c/test_*.c)
foreach(src ${GY_C_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests/c)
  target_compile_definitions(${name} PRIVATE _POSIX_C_SOURCE=200809L
    GY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  target_link_libraries(${name} PRIVATE gyrus_core m)
  add_test(NAME c.${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties(c.${name} PROPERTIES ENVIRONMENT "${GY_TEST_ENV}" TIMEOUT 300)
endforeach()

file(GLOB GY_LUA_SPECS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/lua/*_spec.lua)
foreach(spec ${GY_LUA_SPECS})
  get_filename_component(name ${spec} NAME_WE)
  add_test(NAME lua.${name}
           COMMAND gyrus ${CMAKE_SOURCE_DIR}/tests/lua/run.lua ${spec}
           WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties(lua.${name} PROPERTIES ENVIRONMENT "${GY_TEST_ENV}" TIMEOUT 600)
endforeach()
