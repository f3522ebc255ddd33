# Freestanding AArch64 for code that runs at EL2 (ports/el2-*).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_OBJCOPY aarch64-linux-gnu-objcopy CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# No FP/SIMD at EL2 (nothing saves them), no unaligned access with the MMU off.
set(HV_EL2_FLAGS "-ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -mstrict-align -fno-stack-protector -fpie -mno-outline-atomics")
set(CMAKE_C_FLAGS_INIT "${HV_EL2_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${HV_EL2_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static")
