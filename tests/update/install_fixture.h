// Shared pieces of the installer tests: signed-target descriptions built from bytes (what
// Updater::GetTargetInfo would return), in-memory sources, and the boot invariant checker the
// power-loss sweeps apply after every simulated power cut.
#ifndef VIGIL_TESTS_UPDATE_INSTALL_FIXTURE_H_
#define VIGIL_TESTS_UPDATE_INSTALL_FIXTURE_H_

#include <optional>
#include <string>

#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/crypto/hash.h"
#include "vigil/update/installer.h"

namespace vigil::update::testing {

// Deterministic image bytes of `size` (distinct per `seed`).
inline Bytes ImageBytes(size_t size, uint8_t seed) {
  Bytes b(size);
  for (size_t i = 0; i < size; ++i)
    b[i] = static_cast<uint8_t>((i * 131 + seed * 17 + i / 251) & 0xff);
  return b;
}

inline vigil::json::Value VigilCustom(uint64_t release, uint64_t security_version,
                                      std::optional<uint64_t> allow_downgrade_from = std::nullopt) {
  vigil::json::Value v = vigil::json::Value::MakeObject();
  v.Set("release", release);
  v.Set("security_version", security_version);
  if (allow_downgrade_from) v.Set("allow_downgrade_from", *allow_downgrade_from);
  vigil::json::Value custom = vigil::json::Value::MakeObject();
  custom.Set("vigil", std::move(v));
  return custom;
}

// A TargetFile for `data` listing sha256 (and sha512 when asked).
inline TargetFile InfoFor(const Bytes& data, uint64_t release, uint64_t security_version,
                          std::optional<uint64_t> allow_downgrade_from = std::nullopt,
                          bool with_sha512 = false) {
  TargetFile info;
  info.length = data.size();
  auto d = crypto::Sha256(data);
  info.hashes["sha256"] = Bytes(d.begin(), d.end());
  if (with_sha512)
    info.hashes["sha512"] = crypto::Digest(crypto::AlgorithmId::kSha512, data).value();
  info.custom = VigilCustom(release, security_version, allow_downgrade_from);
  return info;
}

// Streams `data` in pieces of `piece` bytes.
inline TargetSource MemorySource(Bytes data, size_t piece = 4096) {
  return [data = std::move(data), piece](const Fetcher::ChunkSink& sink) -> Status {
    for (size_t off = 0; off < data.size(); off += piece) {
      size_t n = std::min(piece, data.size() - off);
      VIGIL_RETURN_IF_ERROR(sink(ByteView(data).subspan(off, n)));
    }
    return OkStatus();
  };
}

// The configuration the tests use: slot a a directory, slot b a fixed-size image file.
inline InstallerConfig TestConfig(uint64_t image_capacity = 1 << 20, uint32_t attempts = 3) {
  InstallerConfig c;
  c.slots["a"] = SlotSpec{"dir", "slot-a", 0};
  c.slots["b"] = SlotSpec{"image", "slot-b.img", image_capacity};
  c.trial_attempts = attempts;
  return c;
}

// What every power cut must leave: the directory opens (recovering an interrupted commit), a
// boot decision exists and picks a good (or trial) slot with a security version not below the
// counter, and every slot the state calls verified or good holds exactly the recorded image
// (re-hashed here, independently of the installer). Returns "" or what is wrong. `min_counter` is
// the counter value that was durable before the cut (it must never go back).
inline std::string CheckBootInvariant(Env* env, const std::string& dir, uint64_t min_counter,
                                      std::string* booted = nullptr) {
  auto installer = Installer::Open(env, dir);
  if (!installer) return "open after power loss: " + installer.error().message();
  Installer& in = **installer;
  if (in.rollback_counter() < min_counter) {
    return "anti-rollback counter went back from " + std::to_string(min_counter) + " to " +
           std::to_string(in.rollback_counter());
  }
  auto decision = in.Boot();
  if (!decision) return "boot after power loss: " + decision.error().message();
  const SlotRecord& record = in.state().slots.at(decision->slot);
  if (record.status != SlotStatus::kGood &&
      !(decision->trial && record.status == SlotStatus::kVerified)) {
    return "booted slot " + decision->slot + " with status " +
           std::string(SlotStatusName(record.status));
  }
  if (record.security_version < in.rollback_counter()) return "booted below the counter";
  // Not only the booted slot: no slot the state calls verified or good may hold anything else.
  for (const auto& [name, slot] : in.state().slots) {
    if (slot.status != SlotStatus::kGood && slot.status != SlotStatus::kVerified) continue;
    const SlotSpec& spec = in.config().slots.at(name);
    std::string path = JoinPath(dir, spec.path);
    if (spec.kind == "dir") path = JoinPath(path, "image");
    auto bytes = env->ReadFile(path);
    if (!bytes || bytes->size() < slot.length) return "slot " + name + " image unreadable or short";
    Bytes image(bytes->begin(), bytes->begin() + static_cast<ptrdiff_t>(slot.length));
    auto digest = crypto::Sha256(image);
    if (Bytes(digest.begin(), digest.end()) != slot.hashes.at("sha256")) {
      return "slot " + name + " (" + std::string(SlotStatusName(slot.status)) +
             ") does not match its recorded sha256";
    }
  }
  if (booted) *booted = decision->slot;
  return "";
}

}  // namespace vigil::update::testing

#endif  // VIGIL_TESTS_UPDATE_INSTALL_FIXTURE_H_
