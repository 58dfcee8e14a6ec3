#include "heapscope/hprof/tags.h"

namespace heapscope::hprof {

std::optional<std::string_view> tag_name(uint8_t tag) {
  switch (tag) {
    case 0x01:
      return "UTF8";
    case 0x02:
      return "LOAD_CLASS";
    case 0x03:
      return "UNLOAD_CLASS";
    case 0x04:
      return "FRAME";
    case 0x05:
      return "TRACE";
    case 0x06:
      return "ALLOC_SITES";
    case 0x07:
      return "HEAP_SUMMARY";
    case 0x0A:
      return "START_THREAD";
    case 0x0B:
      return "END_THREAD";
    case 0x0C:
      return "HEAP_DUMP";
    case 0x0D:
      return "CPU_SAMPLES";
    case 0x0E:
      return "CONTROL_SETTINGS";
    case 0x1C:
      return "HEAP_DUMP_SEGMENT";
    case 0x2C:
      return "HEAP_DUMP_END";
    default:
      return std::nullopt;
  }
}

std::optional<std::string_view> sub_tag_name(uint8_t sub_tag) {
  switch (sub_tag) {
    case 0xFF:
      return "ROOT_UNKNOWN";
    case 0x01:
      return "ROOT_JNI_GLOBAL";
    case 0x02:
      return "ROOT_JNI_LOCAL";
    case 0x03:
      return "ROOT_JAVA_FRAME";
    case 0x04:
      return "ROOT_NATIVE_STACK";
    case 0x05:
      return "ROOT_STICKY_CLASS";
    case 0x06:
      return "ROOT_THREAD_BLOCK";
    case 0x07:
      return "ROOT_MONITOR_USED";
    case 0x08:
      return "ROOT_THREAD_OBJ";
    case 0x20:
      return "CLASS_DUMP";
    case 0x21:
      return "INSTANCE_DUMP";
    case 0x22:
      return "OBJ_ARRAY_DUMP";
    case 0x23:
      return "PRIM_ARRAY_DUMP";
    case 0x89:
      return "ROOT_INTERNED_STRING";
    case 0x8A:
      return "ROOT_FINALIZING";
    case 0x8B:
      return "ROOT_DEBUGGER";
    case 0x8C:
      return "ROOT_REFERENCE_CLEANUP";
    case 0x8D:
      return "ROOT_VM_INTERNAL";
    case 0x8E:
      return "ROOT_JNI_MONITOR";
    case 0x90:
      return "UNREACHABLE";
    case 0xC3:
      return "PRIM_ARRAY_NODATA_DUMP";
    case 0xFE:
      return "HEAP_DUMP_INFO";
    default:
      return std::nullopt;
  }
}

bool is_root_sub_tag(uint8_t t) {
  return (t >= 0x01 && t <= 0x08) || t == 0xFF || (t >= 0x89 && t <= 0x8E) || t == 0x90;
}

std::string_view basic_type_name(uint8_t type) {
  switch (type) {
    case 4:
      return "boolean";
    case 5:
      return "char";
    case 6:
      return "float";
    case 7:
      return "double";
    case 8:
      return "byte";
    case 9:
      return "short";
    case 10:
      return "int";
    case 11:
      return "long";
    default:
      return "";
  }
}

}  // namespace heapscope::hprof
