# Contract guests: tests/guests/<name>.c or <name>.S (+ lib/), built with the
# AArch64 cross compiler into ${HV_GUEST_DIR}/<name>.elf and <name>.bin.
# tests/sim/tests.cmake runs them under hvsim; the EL2 port runs the same
# files on QEMU (tests/guests/README.md is the contract).
find_program(HV_GUEST_CC aarch64-linux-gnu-gcc)
find_program(HV_GUEST_OBJCOPY aarch64-linux-gnu-objcopy)
set(HV_GUEST_DIR ${CMAKE_BINARY_DIR}/guests CACHE INTERNAL "built contract guests")
set(HV_GUESTS "" CACHE INTERNAL "names of the built contract guests")

if(NOT HV_GUEST_CC OR NOT HV_GUEST_OBJCOPY)
  message(STATUS "aarch64-linux-gnu-gcc not found: contract guests and sim tests skipped")
  return()
endif()

set(guest_src ${CMAKE_CURRENT_LIST_DIR})
file(GLOB guest_lib CONFIGURE_DEPENDS ${guest_src}/lib/*.c ${guest_src}/lib/*.S ${guest_src}/lib/*.h
     ${guest_src}/lib/*.ld)
file(GLOB guest_lib_sources CONFIGURE_DEPENDS ${guest_src}/lib/*.c ${guest_src}/lib/*.S)
file(GLOB guest_mains CONFIGURE_DEPENDS ${guest_src}/*.c ${guest_src}/*.S)
set(guest_flags -O2 -g -ffreestanding -fno-builtin -nostdlib -static -fno-pie -no-pie
    -mgeneral-regs-only -mstrict-align -fno-stack-protector -fno-asynchronous-unwind-tables
    -Wall -Wextra -Werror -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T ${guest_src}/lib/guest.ld)
set(names "")
foreach(src ${guest_mains})
  get_filename_component(name ${src} NAME_WE)
  set(elf ${HV_GUEST_DIR}/${name}.elf)
  set(bin ${HV_GUEST_DIR}/${name}.bin)
  add_custom_command(
    OUTPUT ${elf} ${bin}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${HV_GUEST_DIR}
    COMMAND ${HV_GUEST_CC} ${guest_flags} -o ${elf} ${guest_lib_sources} ${src}
    COMMAND ${HV_GUEST_OBJCOPY} -O binary ${elf} ${bin}
    DEPENDS ${src} ${guest_lib}
    COMMENT "guest ${name}"
    VERBATIM)
  list(APPEND names ${name})
  list(APPEND outputs ${elf} ${bin})
endforeach()
add_custom_target(contract_guests ALL DEPENDS ${outputs})
set(HV_GUESTS ${names} CACHE INTERNAL "names of the built contract guests")
