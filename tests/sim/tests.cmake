# Unit tests of the software vCPU's pieces (label unit): tests/sim/test_*.c,
# linked with the vCPU library.
if(TARGET hvsim_vcpu)
  file(GLOB HV_SIM_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.c)
  foreach(src ${HV_SIM_UNIT_TESTS})
    get_filename_component(stem ${src} NAME_WE)
    string(REPLACE "test_" "unit." tname ${stem})
    hv_add_criterion_test(${tname} SOURCES ${src} LIBS hvsim_vcpu)
  endforeach()
endif()

# Label sim: every contract guest with a transcript runs under hvsim and
# must print exactly tests/guests/<name>.expected and exit 0.
# tests/guests/<name>.args (optional) holds extra hvsim options.
if(NOT TARGET hvsim OR NOT HV_GUESTS)
  return()
endif()
# Guests run as raw binaries (.bin, no ELF header: the boot protocol only).
set(raw_guests dtboot)
foreach(name ${HV_GUESTS})
  set(expected ${CMAKE_CURRENT_LIST_DIR}/../guests/${name}.expected)
  if(NOT EXISTS ${expected})
    continue()
  endif()
  set(image ${HV_GUEST_DIR}/${name}.elf)
  if(name IN_LIST raw_guests)
    set(image ${HV_GUEST_DIR}/${name}.bin)
  endif()
  add_test(NAME sim.guest.${name}
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/run-guest.sh $<TARGET_FILE:hvsim>
                   ${image} ${expected}
                   ${CMAKE_CURRENT_LIST_DIR}/../guests/${name}.args)
  set_tests_properties(sim.guest.${name} PROPERTIES LABELS sim TIMEOUT 90)
endforeach()

# The hypercall server running the same guests through RUN, the host side
# served by the test (tests/unit/abi/sim_*.c).
file(GLOB HV_SIM_ABI_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/../unit/abi/sim_*.c)
foreach(src ${HV_SIM_ABI_TESTS})
  get_filename_component(stem ${src} NAME_WE)
  string(REPLACE "sim_" "sim." tname ${stem})
  hv_add_criterion_test(${tname} SOURCES ${src} LIBS hvsim_vcpu LABEL sim TIMEOUT 300)
  target_compile_definitions(${tname} PRIVATE HV_GUEST_DIR="${HV_GUEST_DIR}"
                             HV_GUEST_SRC="${CMAKE_CURRENT_LIST_DIR}/../guests")
  add_dependencies(${tname} contract_guests)
endforeach()

add_test(NAME sim.cli COMMAND ${CMAKE_CURRENT_LIST_DIR}/cli-errors.sh $<TARGET_FILE:hvsim>
                              ${HV_GUEST_DIR})
set_tests_properties(sim.cli PROPERTIES LABELS sim TIMEOUT 120)
