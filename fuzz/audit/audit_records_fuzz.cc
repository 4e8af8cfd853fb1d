// Every audit-log parser on arbitrary bytes: tile paths, entry bundles, events, checkpoints,
// signed notes and (through TileLog::Open / VerifyTiles) journal segments and tiles.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/audit/checkpoint.h"
#include "vigil/audit/event.h"
#include "vigil/audit/tile_log.h"
#include "vigil/audit/tile_path.h"
#include "vigil/core/fault_env.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  ByteView bytes(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)audit::ParseTilePath(text);
  (void)audit::SplitBundle(bytes);
  if (auto e = audit::DecodeEvent(bytes)) {
    auto again = audit::EncodeEvent(*e);  // accepted events are canonical
    if (!again || *again != Bytes(bytes.begin(), bytes.end())) __builtin_trap();
  }
  if (auto c = audit::ParseCheckpoint(text)) {
    auto again = audit::FormatCheckpoint(*c);
    if (!again || *again != text) __builtin_trap();
  }
  (void)audit::NoteVerifier::Parse(text);
  (void)audit::OpenNote(text, {});
  // The input as a journal segment and as a level-0 tile next to it.
  FaultInjectingEnv env;
  (void)env.CreateDir("/log/journal");
  (void)env.CreateDir("/log/tile/0");
  (void)env.WriteFileAtomic("/log/journal/0", bytes);
  (void)audit::VerifyTiles(env, "/log", {1});
  if (auto log = audit::TileLog::Open(env, "/log")) {
    (void)(*log)->Root();
    if ((*log)->size() > 0) (void)(*log)->Entry((*log)->size() - 1);
  }
  return 0;
}
