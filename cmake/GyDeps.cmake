# Every dependency is a Debian package; a missing one stops configuration with the package name.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config (or run scripts/setup.sh)")
endif()

macro(gy_require prefix module debpkg)
  pkg_check_modules(${prefix} IMPORTED_TARGET ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR "gyrus needs ${module}: apt-get install ${debpkg} (or run scripts/setup.sh)")
  endif()
endmacro()

gy_require(LUAJIT luajit libluajit-5.1-dev)
gy_require(OPENBLAS openblas libopenblas-dev)
gy_require(LAPACKE lapacke liblapacke-dev)
gy_require(FFTW3 fftw3 libfftw3-dev)
gy_require(PLPLOT plplot "libplplot-dev plplot-driver-cairo")
gy_require(READLINE readline libreadline-dev)
gy_require(ZLIB zlib zlib1g-dev)

set(GY_CORE_LIBS PkgConfig::OPENBLAS PkgConfig::LAPACKE PkgConfig::FFTW3 PkgConfig::PLPLOT PkgConfig::ZLIB)
set(GY_HOST_LIBS PkgConfig::LUAJIT PkgConfig::READLINE)

# LuaJIT itself is needed at build time only for the FFI declaration check.
find_program(GY_LUAJIT luajit)
