/*
 * A HotSpot disassembler plugin (hsdis) over the Capstone library, for JMH's perfasm profiler:
 * Debian packages no hsdis for JDK 17's plugin interface (decode_instructions_virtual), but it
 * packages Capstone. Built by scripts/bench/perfasm-jmh.sh; never part of the library or its
 * tests. The JVM calls this once per code blob, and prints each instruction between the "insn"
 * and "/insn" events with the text this function hands its printf callback.
 */
#include <capstone/capstone.h>
#include <stdint.h>

typedef void *(*event_callback)(void *stream, const char *event, void *arg);
typedef int (*printf_callback)(void *stream, const char *format, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer,
                                  uintptr_t length, event_callback event, void *event_stream,
                                  printf_callback print, void *print_stream, const char *options,
                                  int newline) {
  (void) end_va;
  (void) options;
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
    return NULL;
  }
  cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
  uintptr_t offset = 0;
  while (offset < length) {
    cs_insn *insn;
    size_t count = cs_disasm(handle, buffer + offset, length - offset, start_va + offset, 1, &insn);
    event(event_stream, "insn", (void *) (start_va + offset));
    if (count == 1) {
      print(print_stream, "%s %s", insn->mnemonic, insn->op_str);
      offset += insn->size;
      cs_free(insn, count);
    } else {
      print(print_stream, ".byte 0x%02x", buffer[offset]); /* not an instruction: one byte on */
      offset += 1;
    }
    event(event_stream, "/insn", (void *) (start_va + offset));
    if (newline) {
      print(print_stream, "\n");
    }
  }
  cs_close(&handle);
  return (void *) (start_va + offset);
}
