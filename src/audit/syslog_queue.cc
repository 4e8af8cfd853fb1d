#include "vigil/audit/syslog_queue.h"

#include "vigil/core/endian.h"

#include <charconv>
#include <cstdio>

namespace vigil::audit {
namespace {

constexpr size_t kRecordHeader = 8;
constexpr std::string_view kHeadMagic = "vigil-syslog-queue 1 ";

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), bitwise: the queue checks a few lines
// per second, a table is not worth its code.
uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc ^= static_cast<uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}


Bytes Frame(std::string_view line) {
  Bytes rec;
  rec.reserve(kRecordHeader + line.size());
  AppendLe32(rec, static_cast<uint32_t>(line.size()));
  AppendLe32(rec, Crc32(line));
  Append(rec, AsBytes(line));
  return rec;
}

struct Head {
  uint64_t gen = 0;
  uint64_t offset = 0;
};

Result<Head> ParseHead(std::string_view text) {
  Head h;
  if (text.substr(0, kHeadMagic.size()) != kHeadMagic || text.empty() || text.back() != '\n') {
    return DataLossError("syslog queue head: expected \"" + std::string(kHeadMagic) +
                         "<gen> <offset>\\n\"");
  }
  std::string_view rest = text.substr(kHeadMagic.size(), text.size() - kHeadMagic.size() - 1);
  const char* end = rest.data() + rest.size();
  auto [p1, e1] = std::from_chars(rest.data(), end, h.gen);
  if (e1 != std::errc() || p1 == end || *p1 != ' ') {
    return DataLossError("syslog queue head: bad generation");
  }
  auto [p2, e2] = std::from_chars(p1 + 1, end, h.offset);
  if (e2 != std::errc() || p2 != end) return DataLossError("syslog queue head: bad offset");
  return h;
}

}  // namespace

SyslogQueue::SyslogQueue(Env* env, std::string dir, Options options)
    : env_(env), dir_(std::move(dir)), options_(options) {}

SyslogQueue::~SyslogQueue() {
  if (file_) (void)file_->Close();
}

std::string SyslogQueue::LogPath(uint64_t gen) const {
  return JoinPath(dir_, "queue-" + std::to_string(gen) + ".log");
}

Result<std::unique_ptr<SyslogQueue>> SyslogQueue::Open(Env* env, std::string dir, Options options) {
  std::unique_ptr<SyslogQueue> q(new SyslogQueue(env, std::move(dir), options));
  VIGIL_RETURN_IF_ERROR(q->Load());
  return q;
}

// Reads the head, scans the live file from the head offset, cuts a torn tail, removes files of
// other generations (left by an interrupted compaction) and reopens the live file for appending.
Status SyslogQueue::Load() {
  // The queue directory's own entry must be durable too, or a power cut loses the whole queue —
  // also when someone else created it and did not sync its parent (found by fuzzing).
  VIGIL_RETURN_IF_ERROR(env_->CreateDir(dir_));
  VIGIL_RETURN_IF_ERROR(env_->SyncDir(DirName(dir_)));
  const std::string head_path = JoinPath(dir_, "head");
  if (env_->FileExists(head_path)) {
    VIGIL_ASSIGN_OR_RETURN(Bytes text, env_->ReadFile(head_path));
    auto h = ParseHead(AsStringView(text));
    if (!h) return h.error().WithContext(head_path);
    gen_ = h->gen;
    head_offset_ = h->offset;
  }
  const std::string log = LogPath(gen_);
  Bytes data;
  if (env_->FileExists(log)) {
    VIGIL_ASSIGN_OR_RETURN(data, env_->ReadFile(log));
  } else if (head_offset_ != 0) {
    return DataLossError(log + ": missing, but the head names it at offset " +
                         std::to_string(head_offset_));
  }
  if (head_offset_ > data.size()) {
    return DataLossError(log + ": head offset " + std::to_string(head_offset_) +
                         " is past the end of the file (" + std::to_string(data.size()) + ")");
  }
  uint64_t pos = head_offset_;
  while (pos + kRecordHeader <= data.size()) {
    const uint32_t len = LoadLe32(data.data() + pos);
    if (pos + kRecordHeader + len > data.size()) break;
    std::string line(AsStringView(ByteView(data).subspan(pos + kRecordHeader, len)));
    if (Crc32(line) != LoadLe32(data.data() + pos + 4)) break;
    pending_bytes_ += line.size();
    pending_.push_back(std::move(line));
    pos += kRecordHeader + len;
  }
  file_size_ = pos;
  torn_bytes_ = data.size() - pos;
  if (torn_bytes_ > 0) VIGIL_RETURN_IF_ERROR(env_->TruncateFile(log, pos));
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> children, env_->GetChildren(dir_));
  for (const std::string& c : children) {
    if (c.starts_with("queue-") && JoinPath(dir_, c) != log) {
      VIGIL_RETURN_IF_ERROR(env_->RemoveFile(JoinPath(dir_, c)));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(file_, env_->NewAppendableFile(log));
  return env_->SyncDir(dir_);
}

// After a failed Append or Sync the file may end in a partial record; appending after it would
// hide every later record from recovery. Cut it back to the last good record first.
Status SyslogQueue::Repair() {
  if (file_) (void)file_->Close();
  file_.reset();
  VIGIL_RETURN_IF_ERROR(env_->TruncateFile(LogPath(gen_), file_size_));
  VIGIL_ASSIGN_OR_RETURN(file_, env_->NewAppendableFile(LogPath(gen_)));
  broken_ = false;
  return OkStatus();
}

Status SyslogQueue::Enqueue(std::string_view line) {
  if (line.empty() || line.size() > options_.max_line_bytes) {
    return InvalidArgumentError("syslog queue: a line must have 1-" +
                                std::to_string(options_.max_line_bytes) + " bytes, got " +
                                std::to_string(line.size()));
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (pending_.size() >= options_.max_lines || pending_bytes_ + line.size() > options_.max_bytes) {
    return ResourceExhaustedError(
        "syslog queue full: " + std::to_string(pending_.size()) + " lines / " +
        std::to_string(pending_bytes_) + " bytes wait for the collector (limits " +
        std::to_string(options_.max_lines) + " / " + std::to_string(options_.max_bytes) +
        "); this event was NOT queued for forwarding");
  }
  if (broken_ || !file_) VIGIL_RETURN_IF_ERROR(Repair());
  const Bytes rec = Frame(line);
  Status st = file_->Append(rec);
  if (st) st = file_->Sync();
  if (!st) {
    broken_ = true;
    return UnavailableError("syslog queue: line not queued: " + st.error().message());
  }
  file_size_ += rec.size();
  pending_bytes_ += line.size();
  pending_.emplace_back(line);
  return OkStatus();
}

std::vector<std::string> SyslogQueue::Peek(size_t n) const {
  std::lock_guard<std::mutex> lock(mu_);
  n = std::min(n, pending_.size());
  return {pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n)};
}

Status SyslogQueue::WriteHead(uint64_t gen, uint64_t offset) {
  const std::string text =
      std::string(kHeadMagic) + std::to_string(gen) + " " + std::to_string(offset) + "\n";
  return env_->WriteFileAtomic(JoinPath(dir_, "head"), AsBytes(text));
}

// Copies the records after the first n to a new generation, switches the head to it, then
// removes the old file. A crash before the head switch leaves the old generation live (the new
// file is removed on Load); after it, the new one.
Status SyslogQueue::Compact(size_t n) {
  const std::string next = LogPath(gen_ + 1);
  VIGIL_ASSIGN_OR_RETURN(auto out, env_->NewWritableFile(next));
  Bytes all;
  for (size_t i = n; i < pending_.size(); ++i) Append(all, Frame(pending_[i]));
  VIGIL_RETURN_IF_ERROR(out->Append(all));
  VIGIL_RETURN_IF_ERROR(out->Sync());
  VIGIL_RETURN_IF_ERROR(out->Close());
  VIGIL_RETURN_IF_ERROR(env_->SyncDir(dir_));
  VIGIL_RETURN_IF_ERROR(WriteHead(gen_ + 1, 0));
  if (file_) (void)file_->Close();
  file_.reset();
  const std::string old = LogPath(gen_);
  ++gen_;
  head_offset_ = 0;
  file_size_ = all.size();
  broken_ = true;  // reopen the new generation for appending on the next Enqueue
  // The old file is garbage now; failing to remove it only wastes space until the next Load.
  if (env_->RemoveFile(old)) (void)env_->SyncDir(dir_);
  return OkStatus();
}

Status SyslogQueue::Pop(size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  if (n > pending_.size()) {
    return InvalidArgumentError("syslog queue: cannot pop " + std::to_string(n) + " lines, " +
                                std::to_string(pending_.size()) + " pending");
  }
  if (n == 0) return OkStatus();
  uint64_t offset = head_offset_;
  uint64_t bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    offset += kRecordHeader + pending_[i].size();
    bytes += pending_[i].size();
  }
  if (offset >= options_.compact_bytes) {
    VIGIL_RETURN_IF_ERROR(Compact(n));
  } else {
    VIGIL_RETURN_IF_ERROR(WriteHead(gen_, offset));
    head_offset_ = offset;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  pending_bytes_ -= bytes;
  return OkStatus();
}

size_t SyslogQueue::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.size();
}

uint64_t SyslogQueue::pending_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_bytes_;
}

}  // namespace vigil::audit
