# The software vCPU (Unicorn) and the hvsim CLI.
find_package(PkgConfig REQUIRED)
pkg_check_modules(UNICORN REQUIRED IMPORTED_TARGET unicorn)

file(GLOB HV_SIM_VCPU_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/vcpu/*.c)
add_library(hvsim_vcpu STATIC ${HV_SIM_VCPU_SOURCES} ${PROJECT_SOURCE_DIR}/hostlib/elf_image.c)
target_include_directories(hvsim_vcpu PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
target_include_directories(hvsim_vcpu PRIVATE ${PROJECT_SOURCE_DIR}/hostlib)
target_link_libraries(hvsim_vcpu PUBLIC hvsim_arch hvcore PkgConfig::UNICORN)
# hvcore and hvsim_arch reference each other (the seam): let the linker
# see both again after the vCPU.
target_link_libraries(hvsim_vcpu INTERFACE hvsim_arch hvcore)

add_executable(hvsim ${CMAKE_CURRENT_SOURCE_DIR}/cli/hvsim.c)
target_link_libraries(hvsim PRIVATE hvsim_vcpu)

# bench/ builds every *_bench.c against the test support library only; the
# hvsim benchmark also needs the vCPU. bench/ is added after sim/, so link it
# once the top directory is processed.
function(hvsim_link_bench)
  if(TARGET hvsim_bench)
    target_link_libraries(hvsim_bench PRIVATE hvsim_vcpu)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL hvsim_link_bench)
