#include "internal/journal_format.h"

#include <algorithm>
#include <charconv>

#include "vigil/core/endian.h"
#include "vigil/crypto/hash.h"

namespace vigil::audit::internal {

void ExpandedTile::Push(const Hash& h) {
  nodes[0].push_back(h);
  for (int r = 1; r < kTileHeight; ++r) {
    const auto& below = nodes[r - 1];
    if (below.size() % 2 != 0 || below.size() / 2 == nodes[r].size()) break;
    nodes[r].push_back(HashChildren(below[below.size() - 2], below.back()));
  }
}

Bytes ExpandedTile::Serialize() const {
  Bytes out;
  out.reserve(nodes[0].size() * 32);
  for (const auto& h : nodes[0]) out.insert(out.end(), h.begin(), h.end());
  return out;
}

Result<std::shared_ptr<const ExpandedTile>> ParseTile(ByteView data, size_t width,
                                                      const std::string& path) {
  if (data.size() != width * 32) {
    return DataLossError(path + ": expected " + std::to_string(width * 32) + " bytes (" +
                         std::to_string(width) + " hashes), found " + std::to_string(data.size()));
  }
  auto t = std::make_shared<ExpandedTile>();
  for (size_t i = 0; i < width; ++i) {
    Hash h;
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(i * 32), 32, h.begin());
    t->Push(h);
  }
  return std::shared_ptr<const ExpandedTile>(std::move(t));
}

Result<Record> ParseRecord(ByteView data, std::vector<Hash>& leaves) {
  if (data.size() < kHeaderSize + kDigestSize) {
    return DataLossError("record header truncated (" + std::to_string(data.size()) + " bytes)");
  }
  if (!std::equal(kRecordMagic.begin(), kRecordMagic.end(), data.begin())) {
    return DataLossError("record magic missing");
  }
  Record r;
  r.first = LoadBigEndian(&data[4], 8);
  uint64_t count = LoadBigEndian(&data[12], 4);
  uint64_t payload = LoadBigEndian(&data[16], 4);
  if (count == 0 || payload > data.size() - kHeaderSize - kDigestSize) {
    return DataLossError("record of " + std::to_string(count) + " entries / " +
                         std::to_string(payload) + " bytes runs past the end of the journal");
  }
  VIGIL_ASSIGN_OR_RETURN(r.entries, SplitBundle(data.subspan(kHeaderSize, payload), count));
  leaves.clear();
  leaves.reserve(count);
  Bytes digest_input(data.begin(), data.begin() + kHeaderSize);
  for (ByteView e : r.entries) {
    leaves.push_back(HashLeaf(e));
    digest_input.insert(digest_input.end(), leaves.back().begin(), leaves.back().end());
  }
  auto digest = crypto::Sha256(digest_input);
  if (!std::equal(digest.begin(), digest.end(), data.begin() + kHeaderSize + payload)) {
    return DataLossError("record digest does not match its entries");
  }
  r.length = kHeaderSize + payload + kDigestSize;
  return r;
}


Error NoLogHere(const std::string& dir) {
  return NotFoundError(dir +
                       ": no audit log here (no journal/ folder); `vigil log append` "
                       "creates one");
}



namespace {

// After a record failed to parse at `off` of the last segment: whether the rest of the file is
// what a crash during an unacknowledged append leaves, and nothing else. Appends are one record
// each, synced before the next, so a crash leaves a strict prefix of one record for the expected
// index (FaultInjectingEnv's torn writes model this) or, on file systems that extend the file
// before its data lands, zeros. A complete record that does not check out, a record for another
// index, or bytes that cannot start a record were changed in place: damage, never cut.
bool IsTornTail(ByteView tail, uint64_t expected_first) {
  if (std::all_of(tail.begin(), tail.end(), [](uint8_t b) { return b == 0; })) return true;
  const size_t magic = std::min(tail.size(), kRecordMagic.size());
  if (!std::equal(kRecordMagic.begin(), kRecordMagic.begin() + magic, tail.begin())) return false;
  if (tail.size() >= 12 && LoadBigEndian(&tail[4], 8) != expected_first) return false;
  if (tail.size() < kHeaderSize) return true;
  const uint64_t count = LoadBigEndian(&tail[12], 4), payload = LoadBigEndian(&tail[16], 4);
  // The record must run past the end of the file: a whole one that failed is damage.
  return count > 0 && kHeaderSize + payload + kDigestSize > tail.size();
}

// The end of a damage message: why it is not a crash, and what happens next.
std::string DamageAdvice(bool last_segment) {
  return std::string(last_segment ? " — not a torn tail: damaged records" : " — damaged records") +
         " (edited or corrupted journal); left as found, and nothing can be appended until an "
         "operator acts (README: when the audit log reports damage)";
}

// After a record failed to parse at `off`: whether a whole valid record follows later in the
// file. A crash only cuts an append-only file's tail, so a valid record after a bad one means
// the bad one was changed in place (tampering or media corruption), not torn.
bool ValidRecordFollows(ByteView data, size_t off) {
  std::vector<Hash> scratch;
  for (size_t j = off + 1; j + kHeaderSize + kDigestSize <= data.size(); ++j) {
    auto it = std::search(data.begin() + static_cast<std::ptrdiff_t>(j), data.end(),
                          kRecordMagic.begin(), kRecordMagic.end());
    if (it == data.end()) return false;
    j = static_cast<size_t>(it - data.begin());
    if (ParseRecord(data.subspan(j), scratch)) return true;
  }
  return false;
}

}  // namespace

Bytes EncodeRecord(uint64_t first, std::span<const Bytes> entries,
                   const std::vector<Hash>& leaves) {
  Bytes rec;
  size_t payload = 0;
  for (const auto& e : entries) payload += 2 + e.size();
  rec.reserve(kHeaderSize + payload + kDigestSize);
  rec.insert(rec.end(), kRecordMagic.begin(), kRecordMagic.end());
  AppendBigEndian(rec, first, 8);
  AppendBigEndian(rec, entries.size(), 4);
  AppendBigEndian(rec, payload, 4);
  Bytes digest_input(rec.begin(), rec.end());
  for (size_t i = 0; i < entries.size(); ++i) {
    (void)AppendBundleEntry(rec, entries[i]);  // sizes were checked by the caller
    digest_input.insert(digest_input.end(), leaves[i].begin(), leaves[i].end());
  }
  auto digest = crypto::Sha256(digest_input);
  rec.insert(rec.end(), digest.begin(), digest.end());
  return rec;
}

std::string SegmentName(uint64_t start) { return std::to_string(start); }

Result<std::vector<uint64_t>> ListSegments(Env& env, const std::string& journal_dir) {
  VIGIL_ASSIGN_OR_RETURN(auto names, env.GetChildren(journal_dir));
  std::vector<uint64_t> starts;
  for (const auto& n : names) {
    if (n.ends_with(".tmp")) continue;
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), v);
    if (ec != std::errc() || end != n.data() + n.size()) {
      return DataLossError(JoinPath(journal_dir, n) + ": not a journal segment name");
    }
    starts.push_back(v);
  }
  std::sort(starts.begin(), starts.end());
  return starts;
}

Result<uint64_t> ReadRetention(Env& env, const std::string& dir) {
  const std::string path = JoinPath(dir, "retention");
  auto r = env.ReadFile(path);
  if (!r) return uint64_t{0};
  std::string_view s(reinterpret_cast<const char*>(r->data()), r->size());
  uint64_t bound = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), bound);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return DataLossError(path + ": expected a decimal entry index");
  }
  return bound;
}

namespace {

std::string SegmentGap(const std::string& path, uint64_t start, uint64_t next,
                       JournalReader reader) {
  return path + ": segment starts at entry " + std::to_string(start) +
         (reader == JournalReader::kRecovery ? " but the journal before it ends at entry "
                                             : ", expected ") +
         std::to_string(next);
}

// "<path> at byte N (after entry E)" or "… (entry E)".
std::string Where(const std::string& path, size_t off, uint64_t next, JournalReader reader) {
  return path + " at byte " + std::to_string(off) +
         (reader == JournalReader::kRecovery ? " (after entry " : " (entry ") +
         std::to_string(next) + ")";
}

}  // namespace

Result<std::optional<TornTail>> ReadJournal(
    Env& env, const std::string& journal_dir, const std::vector<uint64_t>& segments,
    uint64_t& next, JournalReader reader,
    const std::function<Status(const Record&, const std::vector<Hash>&)>& on_record) {
  std::vector<Hash> leaves;
  for (size_t k = 0; k < segments.size(); ++k) {
    const bool last = k + 1 == segments.size();
    const std::string path = JoinPath(journal_dir, SegmentName(segments[k]));
    if (segments[k] != next) return DataLossError(SegmentGap(path, segments[k], next, reader));
    VIGIL_ASSIGN_OR_RETURN(Bytes data, env.ReadFile(path));
    size_t off = 0;
    while (off < data.size()) {
      auto rec = ParseRecord(ByteView(data).subspan(off), leaves);
      if (rec && rec->first == next) {
        VIGIL_RETURN_IF_ERROR(on_record(*rec, leaves));
        next += rec->entries.size();
        off += rec->length;
        continue;
      }
      const std::string why = rec ? "record for entry " + std::to_string(rec->first) +
                                        " where entry " + std::to_string(next) + " was expected"
                                  : rec.error().message();
      if (!last || !IsTornTail(ByteView(data).subspan(off), next) ||
          ValidRecordFollows(data, off)) {
        return DataLossError(Where(path, off, next, reader) + ": " + why + DamageAdvice(last));
      }
      TornTail torn;
      torn.path = path;
      torn.offset = off;
      torn.file_size = data.size();
      torn.where = reader == JournalReader::kRecovery
                       ? Where(path, off, next, reader) + ": " + why
                       : path + " at byte " + std::to_string(off) + ": " + why;
      return std::optional<TornTail>(std::move(torn));
    }
  }
  return std::optional<TornTail>();
}

}  // namespace vigil::audit::internal
