// RepoState::Parse (a repository's repo.json) and ParseDuration (`vigil repo expire --in`) on
// arbitrary bytes: never crash; an accepted state serialises to text that parses back to the same
// serialisation, and never holds an online root key; an accepted duration is positive.
#include <cstdlib>
#include <string_view>

#include "vigil/update/repo_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::ByteView bytes(data, size);
  auto d = vigil::update::ParseDuration(vigil::AsStringView(bytes));
  if (d && *d <= 0) std::abort();
  auto state = vigil::update::RepoState::Parse(bytes, "repo.json");
  if (!state) return 0;
  if (state->online_keys.contains("root")) std::abort();
  std::string text = state->Serialize();
  auto again = vigil::update::RepoState::Parse(vigil::AsBytes(text), "repo.json");
  if (!again || again->Serialize() != text) std::abort();
  return 0;
}
