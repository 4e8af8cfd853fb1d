// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, proofs and their verification.
//
// Leaves hash as SHA-256(0x00 || data), interior nodes as SHA-256(0x01 || left || right); the
// empty tree's root is SHA-256(""). Proof generation works over any NodeSource — the hashes
// of complete (perfect) subtrees — so the same code serves the in-memory tree and tiles on disk.
//
// Security property: given a root the verifier trusts, VerifyInclusion proves a leaf is in
// the tree, VerifyConsistency proves a larger tree extends a smaller one (nothing removed,
// changed or reordered). Both follow RFC 9162 §2.1.3.2 / §2.1.4.2 exactly and reject proofs with
// extra or missing components.
//
// Thread-safety: free functions are pure; MemoryTree is not thread-safe.
#ifndef VIGIL_AUDIT_MERKLE_H_
#define VIGIL_AUDIT_MERKLE_H_

#include <array>
#include <cstdint>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::audit {

using Hash = std::array<uint8_t, 32>;

Hash HashLeaf(ByteView data);
Hash HashChildren(const Hash& left, const Hash& right);
Hash EmptyRoot();

// The hashes of complete subtrees: Node(level, index) is the root of leaves
// [index·2^level, (index+1)·2^level). Callers only ask for nodes inside the current size.
class NodeSource {
 public:
  virtual ~NodeSource() = default;
  virtual Result<Hash> Node(int level, uint64_t index) const = 0;
};

// Root of the first `size` leaves.
Result<Hash> RootHash(const NodeSource& nodes, uint64_t size);
// Inclusion proof (audit path) for leaf `index` in the tree of `size` leaves.
// InvalidArgument if index >= size.
Result<std::vector<Hash>> InclusionProof(const NodeSource& nodes, uint64_t index, uint64_t size);
// Consistency proof from `size1` to `size2`. InvalidArgument unless size1 <= size2.
Result<std::vector<Hash>> ConsistencyProof(const NodeSource& nodes, uint64_t size1, uint64_t size2);

// Unauthenticated with the reason when the proof does not verify.
Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                       const std::vector<Hash>& proof, const Hash& root);
// Consistency from size 0 is refused (it proves nothing): callers with no trusted state skip it.
Status VerifyConsistency(uint64_t size1, uint64_t size2, const Hash& root1, const Hash& root2,
                         const std::vector<Hash>& proof);

// An in-memory tree keeping every complete-subtree hash (2 hashes per leaf).
class MemoryTree final : public NodeSource {
 public:
  void AppendLeafHash(const Hash& leaf_hash);
  void AppendData(ByteView data) { AppendLeafHash(HashLeaf(data)); }
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  Result<Hash> Node(int level, uint64_t index) const override;
  Result<Hash> Root() const { return RootHash(*this, size()); }

 private:
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_MERKLE_H_
