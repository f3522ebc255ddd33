# QEMU system tests (label qemu): the EL2 image on QEMU's virt board.
add_test(NAME qemu.el2.selftest
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_selftest.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.selftest PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE)
add_test(NAME qemu.el2.smp
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_smp.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.smp PROPERTIES LABELS qemu TIMEOUT 60 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest)
# README's main job shows every contract guest at EL2 through this script:
# it must pass as written (each guest against its .expected, or its
# .el2.expected where the EL2 port's transcript differs from hvsim's).
add_test(NAME qemu.demo.el2 COMMAND ${PROJECT_SOURCE_DIR}/scripts/demo-el2.sh)
set_tests_properties(qemu.demo.el2 PROPERTIES LABELS qemu TIMEOUT 600 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest)

# The EL2 image with a MediaTek-shaped device tree of the same virt board
# (4-cell GIC specifiers, ppi-partitions, aliases, no-map carveouts, SMC PSCI).
add_test(NAME qemu.el2.mtk_shaped
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_mtk_shaped.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.mtk_shaped PROPERTIES LABELS qemu TIMEOUT 180 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest)

# el2-mediatek (mode A): Debian's Linux as the host at EL1 on both CPUs over
# the MediaTek-shaped tree, its PSCI forwarded with CPU_ON through EL2.
add_test(NAME qemu.el2mtk.linux_host
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_mtk_host.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2mtk.linux_host PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE)

# The el2-mediatek image's own console through the shared 8250 driver on
# QEMU raspi3b (stride-4 mini UART named a mediatek,mt6577-uart): it
# refuses the GIC-less board, and a GICv2 one, saying why on that UART.
add_test(NAME qemu.el2mtk.console8250.raspi3b
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_mtk_raspi.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2mtk.console8250.raspi3b PROPERTIES LABELS qemu TIMEOUT 180 RUN_SERIAL TRUE)

# /reserved-memory no-map carveouts out of EL2's map and out of guest RAM.
add_test(NAME qemu.el2.carveouts
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_carveouts.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.carveouts PROPERTIES LABELS qemu TIMEOUT 120 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest)

# The EL2 image's own stop statuses and reports (bad boot arguments, no
# image, fault loop, every vCPU off).
if(TARGET contract_guests)
  add_test(NAME qemu.el2.stops
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_stops.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/guests)
  set_tests_properties(qemu.el2.stops PROPERTIES LABELS qemu TIMEOUT 240 RUN_SERIAL TRUE
    DEPENDS qemu.el2.selftest)
endif()

# QEMU's deterministic mode (-icount shift=0,align=off: one instruction per
# ns, the CPUs take turns on one host thread): no wait at EL2 or in a guest
# may assume that two CPUs run at once (a CPU that spins without YIELD or
# WFI never lets the other run), and waits are bounded by the counter.
add_test(NAME qemu.el2.smp.icount
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_smp.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.smp.icount PROPERTIES LABELS qemu TIMEOUT 60 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest ENVIRONMENT HV_QEMU_ICOUNT=1)

# The EL2 event trace dumped at power-off in guest mode (hvcore.trace=1).
if(TARGET contract_guests)
  add_test(NAME qemu.el2.trace
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_trace.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/guests)
  set_tests_properties(qemu.el2.trace PROPERTIES LABELS qemu TIMEOUT 120 RUN_SERIAL TRUE
    DEPENDS qemu.el2.selftest)
endif()

# Contract guests at EL1 under the EL2 image (same binaries and transcripts
# as hvsim's sim.guest.* tests).
if(TARGET contract_guests)
  foreach(guest hello mmio abort exceptions paging timer ptimer psci sgi idregs dtboot debug
                h_zva h_ldtr h_align h_irqmask h_storm h_vecloop h_psci h_platform h_mmio affpoll)
    add_test(NAME qemu.guest.${guest}
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_guest.sh ${PROJECT_SOURCE_DIR}
              ${PROJECT_BINARY_DIR}/guests/${guest}.bin ${guest})
    set_tests_properties(qemu.guest.${guest} PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE
      DEPENDS qemu.el2.selftest)
    # The same guest on two physical CPUs (-smp 2).
    add_test(NAME qemu.guest.${guest}.smp2
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_guest.sh ${PROJECT_SOURCE_DIR}
              ${PROJECT_BINARY_DIR}/guests/${guest}.bin ${guest} 2)
    set_tests_properties(qemu.guest.${guest}.smp2 PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE
      DEPENDS qemu.el2.selftest)
  endforeach()
  # The SMP guests on two physical CPUs in deterministic mode (above).
  # affpoll: vCPU 0 polls AFFINITY_INFO in a bare HVC loop while vCPU 1's
  # CPU must wake and power it off; it failed every time (after 1 s of
  # polling) before the port yielded on such polls (README, core/sched).
  foreach(guest psci sgi affpoll)
    add_test(NAME qemu.guest.${guest}.smp2.icount
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_guest.sh ${PROJECT_SOURCE_DIR}
              ${PROJECT_BINARY_DIR}/guests/${guest}.bin ${guest} 2)
    set_tests_properties(qemu.guest.${guest}.smp2.icount PROPERTIES LABELS qemu TIMEOUT 300
      RUN_SERIAL TRUE DEPENDS qemu.el2.selftest ENVIRONMENT HV_QEMU_ICOUNT=1)
  endforeach()
endif()

# Debian's arm64 kernel + busybox initramfs under the hypervisor (2 vCPUs,
# generated device tree): marker from /init and a clean PSCI power-off.
add_test(NAME qemu.linux.boot
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/linux_boot.sh ${PROJECT_SOURCE_DIR} 150)
set_tests_properties(qemu.linux.boot PROPERTIES LABELS qemu TIMEOUT 240 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest)
# The same boot in deterministic mode (both physical CPUs on one host thread).
add_test(NAME qemu.linux.boot.icount
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/linux_boot.sh ${PROJECT_SOURCE_DIR} 200)
set_tests_properties(qemu.linux.boot.icount PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest ENVIRONMENT HV_QEMU_ICOUNT=1)

# The shared EL2 8250 console (ports/el2/uart_8250.c) on emulated hardware at
# EL2: QEMU raspi3b's mini UART is a 16550-style transmitter at a 4-byte
# stride, as MediaTek's UART (no GIC there: a console smoke test only).
if(HV_GUEST_CC AND HV_GUEST_OBJCOPY)
  set(r8250 ${CMAKE_CURRENT_SOURCE_DIR}/qemu/raspi8250)
  set(r8250_sources ${r8250}/boot.S ${r8250}/main.c ${PROJECT_SOURCE_DIR}/ports/el2/uart.c
      ${PROJECT_SOURCE_DIR}/ports/el2/uart_8250.c ${PROJECT_SOURCE_DIR}/ports/el2/uart_pl011.c
      ${PROJECT_SOURCE_DIR}/ports/el2/mmio.c)
  add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/raspi8250.bin
    COMMAND ${HV_GUEST_CC} -ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -mstrict-align
            -O2 -Wall -Wextra -Werror -I${PROJECT_SOURCE_DIR}/core/include -T ${r8250}/image.ld
            -Wl,--no-warn-rwx-segments -Wl,--build-id=none -o ${CMAKE_CURRENT_BINARY_DIR}/raspi8250.elf
            ${r8250_sources}
    COMMAND ${HV_GUEST_OBJCOPY} -O binary ${CMAKE_CURRENT_BINARY_DIR}/raspi8250.elf
            ${CMAKE_CURRENT_BINARY_DIR}/raspi8250.bin
    DEPENDS ${r8250_sources} ${r8250}/image.ld ${PROJECT_SOURCE_DIR}/ports/el2/uart.h
    COMMENT "raspi8250.bin (EL2 8250 console smoke image)"
    VERBATIM)
  add_custom_target(qemu_raspi8250 ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/raspi8250.bin)
  add_test(NAME qemu.el2.console8250.raspi3b
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/raspi8250.sh ${CMAKE_CURRENT_BINARY_DIR}/raspi8250.bin)
  set_tests_properties(qemu.el2.console8250.raspi3b PROPERTIES LABELS qemu TIMEOUT 60)
endif()
