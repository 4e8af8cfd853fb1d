#include "vigil/audit/merkle.h"

#include <bit>

#include "vigil/crypto/hash.h"

namespace vigil::audit {
namespace {

// Largest power of two strictly smaller than n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

bool IsPerfect(uint64_t begin, uint64_t end) {
  uint64_t n = end - begin;
  return std::has_single_bit(n) && begin % n == 0;
}

// MTH(D[begin:end]) from complete-subtree nodes.
Result<Hash> SubtreeHash(const NodeSource& nodes, uint64_t begin, uint64_t end) {
  if (IsPerfect(begin, end)) {
    int level = std::countr_zero(end - begin);
    return nodes.Node(level, begin >> level);
  }
  uint64_t k = SplitPoint(end - begin);
  VIGIL_ASSIGN_OR_RETURN(Hash left, SubtreeHash(nodes, begin, begin + k));
  VIGIL_ASSIGN_OR_RETURN(Hash right, SubtreeHash(nodes, begin + k, end));
  return HashChildren(left, right);
}

// PATH(m, D[begin:end]) of RFC 9162 §2.1.3.1, appended bottom-up.
Status Path(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t end,
            std::vector<Hash>& out) {
  if (end - begin <= 1) return OkStatus();
  uint64_t k = SplitPoint(end - begin);
  if (m < k) {
    VIGIL_RETURN_IF_ERROR(Path(nodes, m, begin, begin + k, out));
    VIGIL_ASSIGN_OR_RETURN(Hash h, SubtreeHash(nodes, begin + k, end));
    out.push_back(h);
  } else {
    VIGIL_RETURN_IF_ERROR(Path(nodes, m - k, begin + k, end, out));
    VIGIL_ASSIGN_OR_RETURN(Hash h, SubtreeHash(nodes, begin, begin + k));
    out.push_back(h);
  }
  return OkStatus();
}

// SUBPROOF(m, D[begin:end], b) of RFC 9162 §2.1.4.1.
Status SubProof(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t end, bool b,
                std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!b) {
      VIGIL_ASSIGN_OR_RETURN(Hash h, SubtreeHash(nodes, begin, end));
      out.push_back(h);
    }
    return OkStatus();
  }
  uint64_t k = SplitPoint(n);
  if (m <= k) {
    VIGIL_RETURN_IF_ERROR(SubProof(nodes, m, begin, begin + k, b, out));
    VIGIL_ASSIGN_OR_RETURN(Hash h, SubtreeHash(nodes, begin + k, end));
    out.push_back(h);
  } else {
    VIGIL_RETURN_IF_ERROR(SubProof(nodes, m - k, begin + k, end, false, out));
    VIGIL_ASSIGN_OR_RETURN(Hash h, SubtreeHash(nodes, begin, begin + k));
    out.push_back(h);
  }
  return OkStatus();
}

}  // namespace

Hash HashLeaf(ByteView data) {
  static const uint8_t kPrefix = 0x00;
  return crypto::Sha256({ByteView(&kPrefix, 1), data});
}

Hash HashChildren(const Hash& left, const Hash& right) {
  // One contiguous 65-byte block: the hot path of appends and proofs.
  uint8_t buf[65];
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 33);
  return crypto::Sha256(ByteView(buf, sizeof buf));
}

Hash EmptyRoot() { return crypto::Sha256(ByteView{}); }

Result<Hash> RootHash(const NodeSource& nodes, uint64_t size) {
  if (size == 0) return EmptyRoot();
  return SubtreeHash(nodes, 0, size);
}

Result<std::vector<Hash>> InclusionProof(const NodeSource& nodes, uint64_t index, uint64_t size) {
  if (index >= size) {
    return InvalidArgumentError("inclusion proof: leaf index " + std::to_string(index) +
                                " is not below the tree size " + std::to_string(size));
  }
  std::vector<Hash> out;
  VIGIL_RETURN_IF_ERROR(Path(nodes, index, 0, size, out));
  return out;
}

Result<std::vector<Hash>> ConsistencyProof(const NodeSource& nodes, uint64_t size1,
                                           uint64_t size2) {
  if (size1 > size2) {
    return InvalidArgumentError("consistency proof: size " + std::to_string(size1) +
                                " is larger than size " + std::to_string(size2));
  }
  std::vector<Hash> out;
  if (size1 == 0 || size1 == size2) return out;
  VIGIL_RETURN_IF_ERROR(SubProof(nodes, size1, 0, size2, true, out));
  return out;
}

Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                       const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) {
    return UnauthenticatedError("inclusion: leaf index " + std::to_string(index) +
                                " is not below the tree size " + std::to_string(size));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return UnauthenticatedError("inclusion: proof has too many components");
    if ((fn & 1) != 0 || fn == sn) {
      r = HashChildren(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return UnauthenticatedError("inclusion: proof has too few components");
  if (r != root) return UnauthenticatedError("inclusion: computed root does not match");
  return OkStatus();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, const Hash& root1, const Hash& root2,
                         const std::vector<Hash>& proof) {
  if (size1 > size2) {
    return UnauthenticatedError("consistency: size " + std::to_string(size1) +
                                " is larger than size " + std::to_string(size2));
  }
  if (size1 == 0) {
    // Every tree extends the empty tree: such a "proof" proves nothing, and a verifier that
    // trusts nothing yet has no old root to hold the log to. Refuse rather than pass vacuously.
    return UnauthenticatedError("consistency: a proof from the empty tree proves nothing");
  }
  if (size1 == size2) {
    if (!proof.empty()) return UnauthenticatedError("consistency: equal sizes need an empty proof");
    if (root1 != root2) return UnauthenticatedError("consistency: equal sizes, different roots");
    return OkStatus();
  }
  if (proof.empty()) return UnauthenticatedError("consistency: empty proof");
  std::vector<Hash> path;
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return UnauthenticatedError("consistency: proof has too many components");
    if ((fn & 1) != 0 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return UnauthenticatedError("consistency: proof has too few components");
  if (fr != root1) return UnauthenticatedError("consistency: old root does not match");
  if (sr != root2) return UnauthenticatedError("consistency: new root does not match");
  return OkStatus();
}

void MemoryTree::AppendLeafHash(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // Complete every subtree that this leaf closes.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const auto& row = levels_[level];
    Hash parent = HashChildren(row[row.size() - 2], row[row.size() - 1]);
    if (levels_.size() == level + 1) levels_.emplace_back();
    levels_[level + 1].push_back(parent);
  }
}

Result<Hash> MemoryTree::Node(int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
    return InternalError("merkle: node (" + std::to_string(level) + ", " + std::to_string(index) +
                         ") is not complete");
  }
  return levels_[level][index];
}

}  // namespace vigil::audit
