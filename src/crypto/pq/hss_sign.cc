// Stateful HSS signing with crash-safe leaf accounting (see HssSigningKey in hss.h).
#include <algorithm>
#include <cstring>
#include <optional>

#include "pq/lms_params.h"

#include "vigil/core/endian.h"
#include "pq/lms_sign.h"
#include "vigil/crypto/mac.h"
#include "vigil/crypto/pq/hss.h"

namespace vigil::crypto::pq {
namespace {

using lms::LmsTree;

constexpr char kMagic[4] = {'V', 'H', 'S', 'S'};
constexpr uint8_t kVersion = 1;


Result<SecretBytes> MacKey(const SecretBytes& master) {
  return HkdfSha256(master.Reveal(), {}, AsBytes("vigil hss state mac v1"), 32);
}

// Level seeds: a SHA-256-based PRF of the parent's (I, SEED) and leaf index, truncated.
struct LevelKey {
  std::array<uint8_t, 16> id;
  SecretBytes seed;
};

LevelKey DeriveChild(const LevelKey& parent, uint32_t q, size_t n) {
  uint8_t qb[4] = {static_cast<uint8_t>(q >> 24), static_cast<uint8_t>(q >> 16),
                   static_cast<uint8_t>(q >> 8), static_cast<uint8_t>(q)};
  uint8_t seed_tag[3] = {0xff, 0xfe, 0xff};
  uint8_t id_tag[3] = {0xff, 0xff, 0xff};
  Sha256Digest s = Sha256({parent.id, {qb, 4}, {seed_tag, 3}, parent.seed.Reveal()});
  Sha256Digest i = Sha256({parent.id, {qb, 4}, {id_tag, 3}, parent.seed.Reveal()});
  LevelKey child;
  std::copy_n(i.begin(), 16, child.id.begin());
  child.seed = SecretBytes::CopyFrom(ByteView(s).first(n));
  SecureZero(s);
  return child;
}

LevelKey RootKey(const SecretBytes& master, size_t n) {
  Sha256Digest s = Sha256({AsBytes("vigil hss seed"), master.Reveal()});
  Sha256Digest i = Sha256({AsBytes("vigil hss id"), master.Reveal()});
  LevelKey k;
  std::copy_n(i.begin(), 16, k.id.begin());
  k.seed = SecretBytes::CopyFrom(ByteView(s).first(n));
  SecureZero(s);
  return k;
}

}  // namespace

struct HssSigningKey::Impl {
  Env* env = nullptr;
  std::string path;
  HssShape shape;
  std::vector<int> heights;
  std::vector<size_t> ns;
  SecretBytes master;
  uint64_t total = 0;    // leaves in the whole hierarchy
  uint64_t next = 0;     // next leaf to use
  uint64_t ceiling = 0;  // leaves below this may have been handed out (persisted)
  uint32_t reserve = 1;
  // Per level: the tree in use and the parent leaf index it was built for.
  std::vector<std::optional<LmsTree>> trees;
  std::vector<uint64_t> tree_prefix;
  Bytes public_key;

  Bytes Serialize(uint64_t ceiling_value) const {
    Bytes out(kMagic, kMagic + 4);
    out.push_back(kVersion);
    out.push_back(static_cast<uint8_t>(shape.levels.size()));
    for (const auto& [lms_type, ots_type] : shape.levels) {
      AppendBe32(out, lms_type);
      AppendBe32(out, ots_type);
    }
    Append(out, master.Reveal());
    AppendBe64(out, ceiling_value);
    auto key = MacKey(master);
    HmacSha256Tag tag = HmacSha256(key->Reveal(), out);
    out.insert(out.end(), tag.begin(), tag.end());
    return out;
  }

  Status Persist(uint64_t ceiling_value) {
    Bytes state = Serialize(ceiling_value);
    Status s = env->WriteFileAtomic(path, state);
    SecureZero(state);
    return s;
  }

  Status Init() {
    total = 1;
    for (const auto& [lms_type, ots_type] : shape.levels) {
      VIGIL_ASSIGN_OR_RETURN(lms::LmsParams l, lms::LmsFor(lms_type));
      VIGIL_ASSIGN_OR_RETURN(lms::OtsParams o, lms::OtsFor(ots_type));
      if (l.hash != o.hash || l.m != o.n) {
        return InvalidArgumentError("hss: LMS type " + std::to_string(lms_type) +
                                    " and LM-OTS type " + std::to_string(ots_type) +
                                    " use different hashes");
      }
      if (total > (uint64_t{1} << 62) >> l.h) {
        return InvalidArgumentError("hss: more than 2^62 signatures in total");
      }
      heights.push_back(l.h);
      ns.push_back(o.n);
      total <<= l.h;
    }
    trees.assign(shape.levels.size(), std::nullopt);
    tree_prefix.assign(shape.levels.size(), 0);
    VIGIL_RETURN_IF_ERROR(TreesFor(0));
    public_key.clear();
    AppendBe32(public_key, static_cast<uint32_t>(shape.levels.size()));
    Append(public_key, trees[0]->PublicKey());
    return OkStatus();
  }

  // Builds the trees on the path to leaf `t` that are not cached yet.
  Status TreesFor(uint64_t t) {
    const size_t levels = shape.levels.size();
    std::vector<uint32_t> q(levels);
    uint64_t rest = t;
    for (size_t i = levels; i-- > 0;) {
      q[i] = static_cast<uint32_t>(rest & ((uint64_t{1} << heights[i]) - 1));
      rest >>= heights[i];
    }
    LevelKey key = RootKey(master, ns[0]);
    uint64_t prefix = 0;
    for (size_t i = 0; i < levels; ++i) {
      if (i > 0) {
        key = DeriveChild(key, q[i - 1], ns[i]);
        prefix = (prefix << heights[i - 1]) | q[i - 1];
      }
      if (!trees[i] || tree_prefix[i] != prefix) {
        VIGIL_ASSIGN_OR_RETURN(LmsTree tree, LmsTree::Build(shape.levels[i].first,
                                                             shape.levels[i].second, key.id,
                                                             key.seed));
        trees[i].emplace(std::move(tree));
        tree_prefix[i] = prefix;
      }
    }
    return OkStatus();
  }

  Result<Bytes> SignLeaf(uint64_t t, ByteView message) {
    VIGIL_RETURN_IF_ERROR(TreesFor(t));
    const size_t levels = shape.levels.size();
    std::vector<uint32_t> q(levels);
    uint64_t rest = t;
    for (size_t i = levels; i-- > 0;) {
      q[i] = static_cast<uint32_t>(rest & ((uint64_t{1} << heights[i]) - 1));
      rest >>= heights[i];
    }
    Bytes sig;
    AppendBe32(sig, static_cast<uint32_t>(levels - 1));
    for (size_t i = 0; i + 1 < levels; ++i) {
      // Each parent leaf signs exactly one message: its child's public key.
      VIGIL_ASSIGN_OR_RETURN(Bytes s, trees[i]->Sign(q[i], trees[i + 1]->PublicKey()));
      Append(sig, s);
      Append(sig, trees[i + 1]->PublicKey());
    }
    VIGIL_ASSIGN_OR_RETURN(Bytes last, trees[levels - 1]->Sign(q[levels - 1], message));
    Append(sig, last);
    return sig;
  }
};

HssSigningKey::HssSigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HssSigningKey::~HssSigningKey() = default;

Result<std::unique_ptr<HssSigningKey>> HssSigningKey::Create(Env& env, const std::string& state_path,
                                                             const HssShape& shape,
                                                             uint32_t reserve) {
  if (shape.levels.empty() || shape.levels.size() > 8) {
    return InvalidArgumentError("hss: 1 to 8 levels, found " + std::to_string(shape.levels.size()));
  }
  if (reserve == 0) return InvalidArgumentError("hss: reserve must be at least 1");
  if (env.FileExists(state_path)) {
    return AlreadyExistsError(state_path + ": an HSS state file exists; refusing to overwrite it");
  }
  auto impl = std::make_unique<Impl>();
  impl->env = &env;
  impl->path = state_path;
  impl->shape = shape;
  impl->reserve = reserve;
  impl->master = SecretBytes(32);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(impl->master.MutableReveal()));
  VIGIL_RETURN_IF_ERROR(impl->Init());
  VIGIL_RETURN_IF_ERROR(impl->Persist(0));
  return std::unique_ptr<HssSigningKey>(new HssSigningKey(std::move(impl)));
}

Result<std::unique_ptr<HssSigningKey>> HssSigningKey::Load(Env& env, const std::string& state_path,
                                                           uint32_t reserve) {
  if (reserve == 0) return InvalidArgumentError("hss: reserve must be at least 1");
  VIGIL_ASSIGN_OR_RETURN(Bytes state, env.ReadFile(state_path));
  const std::string where = state_path + ": ";
  if (state.size() < 6 || std::memcmp(state.data(), kMagic, 4) != 0 || state[4] != kVersion) {
    return DataLossError(where + "not a version-1 Vigil HSS state file");
  }
  const size_t levels = state[5];
  const size_t expected = 6 + 8 * levels + 32 + 8 + 32;
  if (levels < 1 || levels > 8 || state.size() != expected) {
    return DataLossError(where + "expected " + std::to_string(expected) + " bytes for " +
                         std::to_string(levels) + " levels, found " + std::to_string(state.size()));
  }
  auto impl = std::make_unique<Impl>();
  impl->env = &env;
  impl->path = state_path;
  impl->reserve = reserve;
  impl->master = SecretBytes::CopyFrom(ByteView(state).subspan(6 + 8 * levels, 32));
  auto key = MacKey(impl->master);
  if (!key || !VerifyHmacSha256(key->Reveal(), ByteView(state).first(expected - 32),
                                ByteView(state).subspan(expected - 32))) {
    SecureZero(state);
    return DataLossError(where + "integrity check failed; the state is refused (never reset, "
                                 "so no one-time key can be reused)");
  }
  for (size_t i = 0; i < levels; ++i) {
    impl->shape.levels.emplace_back(lms::LoadBe32(state.data() + 6 + 8 * i),
                                    lms::LoadBe32(state.data() + 10 + 8 * i));
  }
  const uint64_t ceiling = LoadBe64(state.data() + 6 + 8 * levels + 32);
  SecureZero(state);
  VIGIL_RETURN_IF_ERROR(impl->Init());
  if (ceiling > impl->total) return DataLossError(where + "counter beyond the key's capacity");
  impl->next = ceiling;  // leaves reserved before the restart are never used
  impl->ceiling = ceiling;
  return std::unique_ptr<HssSigningKey>(new HssSigningKey(std::move(impl)));
}

Result<Bytes> HssSigningKey::Sign(ByteView message) {
  Impl& k = *impl_;
  if (k.next >= k.total) {
    return ResourceExhaustedError("hss: all " + std::to_string(k.total) +
                                  " one-time keys are used; this key cannot sign again");
  }
  if (k.next >= k.ceiling) {
    const uint64_t new_ceiling = std::min(k.total, k.next + k.reserve);
    // Durable before any signature from the new range exists.
    VIGIL_RETURN_IF_ERROR(k.Persist(new_ceiling));
    k.ceiling = new_ceiling;
  }
  const uint64_t leaf = k.next++;
  return k.SignLeaf(leaf, message);
}

std::unique_ptr<VerifyingKey> HssSigningKey::PublicKey() const {
  return std::move(HssPublicKey(impl_->public_key)).value();
}

uint64_t HssSigningKey::remaining() const { return impl_->total - impl_->next; }

}  // namespace vigil::crypto::pq
