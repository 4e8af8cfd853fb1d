// Feed import: walks the sources, recognises each document's format, reads it with its feed
// reader and stores the result, all inside one transaction.
#include "vigil/vuln/feed_import.h"

#include <simdjson.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/vuln/feeds.h"
#include "internal/gzip.h"
#include "internal/zip_archive.h"

namespace vigil::vuln {
namespace {

using internal::OpenZip;
using internal::ZipPtr;

// A zip member larger than this is refused: OSV advisories are kilobytes, so anything this big
// is a decompression bomb or not an advisory archive.
constexpr zip_uint64_t kMaxZipMember = 64u << 20;

// One document to import: a file, or one member of a zip archive.
struct Document {
  std::string path;     // file path
  zip_int64_t member;   // -1 for a plain file
  std::string display;  // "all.zip!GO-2020-0001.json"
};

bool HasExtension(std::string_view name, std::string_view ext) {
  return name.size() >= ext.size() &&
         std::equal(ext.rbegin(), ext.rend(), name.rbegin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}

// A compressed document's name without its ".gz": formats are recognised by the inner name.
std::string_view InnerName(std::string_view name) {
  return HasExtension(name, ".gz") ? name.substr(0, name.size() - 3) : name;
}
bool IsYamlName(std::string_view name) {
  name = InnerName(name);
  return HasExtension(name, ".yaml") || HasExtension(name, ".yml");
}
bool IsAdvisoryName(std::string_view name) {
  return HasExtension(InnerName(name), ".json") || IsYamlName(name);
}
bool IsFeedName(std::string_view name) {
  return IsAdvisoryName(name) || HasExtension(InnerName(name), ".csv");
}

// Largest decompressed .gz document: NVD's biggest yearly feed is a few hundred MiB.
constexpr size_t kMaxGunzipped = size_t{2} << 30;

Status ListZip(Env& env, const std::string& path, std::vector<Document>& out) {
  VIGIL_ASSIGN_OR_RETURN(ZipPtr z, OpenZip(env, path));
  zip_int64_t n = zip_get_num_entries(z.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr || !IsAdvisoryName(name)) continue;
    out.push_back({path, i, path + "!" + name});
  }
  return OkStatus();
}

// The archive the last zip member came from, kept open: members are read in archive order,
// and reopening the archive for each one re-reads its central directory (quadratic in the
// member count; osv.dev's all.zip files hold tens of thousands).
struct OpenArchive {
  Env& env;
  std::string path;
  ZipPtr zip;
};

Result<std::string> ReadZipMember(const Document& d, OpenArchive& open) {
  if (open.zip == nullptr || open.path != d.path) {
    open.zip.reset();
    VIGIL_ASSIGN_OR_RETURN(open.zip, OpenZip(open.env, d.path));
    open.path = d.path;
  }
  zip_t* z = open.zip.get();
  zip_stat_t st;
  if (zip_stat_index(z, static_cast<zip_uint64_t>(d.member), 0, &st) != 0 ||
      (st.valid & ZIP_STAT_SIZE) == 0) {
    return InvalidArgumentError(d.display + ": cannot stat zip member: " + zip_strerror(z));
  }
  if (st.size > kMaxZipMember) {
    return InvalidArgumentError(d.display + ": zip member of " + std::to_string(st.size) +
                                " bytes exceeds the " + std::to_string(kMaxZipMember) +
                                "-byte limit for one advisory");
  }
  zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(d.member), 0);
  if (f == nullptr) return InvalidArgumentError(d.display + ": " + zip_strerror(z));
  std::string data(st.size, '\0');
  zip_int64_t got = zip_fread(f, data.data(), st.size);
  zip_fclose(f);
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
    return InvalidArgumentError(d.display + ": truncated or corrupt zip member");
  }
  return data;
}

// A tree deeper than this is a loop of symbolic links, not a feed (osv.dev's trees are 2 deep).
constexpr int kMaxTreeDepth = 32;

// The feed files under directory `dir` (whose entries are `names`), recursively; hidden entries
// (and what is below them) skipped. What the Env can list is a directory; anything else is a
// file, for the read to report on.
Status ListTree(Env& env, const std::string& dir, const std::vector<std::string>& names,
                int depth, std::vector<std::string>& files) {
  if (depth > kMaxTreeDepth) {
    return InvalidArgumentError(dir + ": more than " + std::to_string(kMaxTreeDepth) +
                                " directories deep (a loop of symbolic links?)");
  }
  for (const std::string& name : names) {
    if (name.empty() || name[0] == '.') continue;
    const std::string path = JoinPath(dir, name);
    if (auto below = env.GetChildren(path)) {
      VIGIL_RETURN_IF_ERROR(ListTree(env, path, *below, depth + 1, files));
    } else if (IsFeedName(name)) {
      files.push_back(path);
    }
  }
  return OkStatus();
}

// Expands the sources into documents: files as given, directories recursively (sorted, hidden
// entries skipped, only .json/.yaml/.yml/.csv, each possibly .gz), zip archives member by member.
Result<std::vector<Document>> ListDocuments(Env& env, const std::vector<std::string>& sources) {
  std::vector<Document> out;
  for (const std::string& src : sources) {
    if (auto names = env.GetChildren(src)) {
      std::vector<std::string> files;
      VIGIL_RETURN_IF_ERROR(ListTree(env, src, *names, 0, files));
      std::sort(files.begin(), files.end());
      for (auto& f : files) out.push_back({f, -1, f});
    } else if (!env.FileExists(src)) {
      return NotFoundError(src + ": no such file or directory");
    } else if (HasExtension(src, ".zip")) {
      VIGIL_RETURN_IF_ERROR(ListZip(env, src, out));
    } else {
      out.push_back({src, -1, src});
    }
  }
  return out;
}

bool Contains(std::string_view head, std::string_view text) {
  return head.find(text) != std::string_view::npos;
}

// One format's signature in a document's name and first 4 KiB (see feed_import.h). A new format
// is one more entry; the first that matches wins, and OSV is what no entry claims.
struct Signature {
  FeedFormat format;
  bool (*matches)(std::string_view name, std::string_view head);
};

constexpr Signature kSignatures[] = {
    {FeedFormat::kOsv, [](std::string_view name, std::string_view) { return IsYamlName(name); }},
    {FeedFormat::kEpss,
     [](std::string_view, std::string_view head) {
       return head.starts_with("#model_version") || head.starts_with("cve,epss");
     }},
    {FeedFormat::kKev,
     [](std::string_view, std::string_view head) { return Contains(head, "\"catalogVersion\""); }},
    // cvelistV5 writes "containers" or "cveMetadata" first (a CNA block can push the other past
    // the 4 KiB looked at), so either is looked for.
    {FeedFormat::kCve5,
     [](std::string_view, std::string_view head) {
       return Contains(head, "\"cveMetadata\"") || Contains(head, "\"containers\"");
     }},
    // An API response, or one record alone ({"cve": …} or the bare cve object, whose NVD-only
    // members sourceIdentifier and vulnStatus come first in NVD's layout).
    {FeedFormat::kNvd,
     [](std::string_view, std::string_view head) {
       return Contains(head, "\"NVD_CVE\"") || Contains(head, "\"vulnerabilities\"") ||
              (Contains(head, "\"sourceIdentifier\"") && Contains(head, "\"vulnStatus\""));
     }},
};

FeedFormat Detect(std::string_view name, std::string_view text) {
  const std::string_view head = text.substr(0, 4096);
  for (const Signature& s : kSignatures) {
    if (s.matches(name, head)) return s.format;
  }
  return FeedFormat::kOsv;
}

// A document read and, when it is an OSV advisory, parsed: everything an import does that needs
// no database, so that it can run on a second thread while this one writes.
struct PreparedDocument {
  FeedFormat format = FeedFormat::kAuto;
  std::string text;                     // the document (empty for OSV: see `osv`)
  std::optional<PreparedAdvisory> osv;  // OSV, CVE 5: the advisory, its compact JSON and hash
};

Result<std::string> ReadDocument(const Document& d, OpenArchive& open) {
  if (d.member >= 0) return ReadZipMember(d, open);
  VIGIL_ASSIGN_OR_RETURN(Bytes data, open.env.ReadFile(d.path));
  if (HasExtension(d.path, ".gz")) {
    return internal::Gunzip(AsStringView(data), d.display, kMaxGunzipped);
  }
  return std::string(AsStringView(data));
}

// `json` without insignificant whitespace (as it is when it does not parse).
std::string Minified(const std::string& json, simdjson::dom::parser& parser) {
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) return json;
  return simdjson::minify(root);
}

Result<PreparedDocument> Prepare(const Document& doc, FeedFormat format, OpenArchive& open,
                                 simdjson::dom::parser& parser) {
  PreparedDocument p;
  VIGIL_ASSIGN_OR_RETURN(p.text, ReadDocument(doc, open));
  p.format = format == FeedFormat::kAuto ? Detect(doc.display, p.text) : format;
  if (p.format == FeedFormat::kCve5) {
    VIGIL_ASSIGN_OR_RETURN(Advisory adv, ParseCve5Record(p.text, doc.display));
    p.osv = PrepareAdvisory(std::move(adv), Minified(p.text, parser));
    p.text.clear();
    return p;
  }
  if (p.format != FeedFormat::kOsv) return p;
  std::string json;
  if (IsYamlName(doc.display)) {
    VIGIL_ASSIGN_OR_RETURN(json, OsvYamlToJson(p.text, doc.display));
  } else {
    json = std::move(p.text);
  }
  p.text.clear();
  VIGIL_ASSIGN_OR_RETURN(Advisory adv, ParseOsvJson(json, doc.display));
  // Store the compact form so whitespace-only edits do not count as changes.
  if (!IsYamlName(doc.display)) json = Minified(json, parser);
  p.osv = PrepareAdvisory(std::move(adv), std::move(json));
  return p;
}

// Prepares the documents on its own thread and hands them over in document order through a
// bounded queue (at most kMaxQueued documents and, beyond the first, kMaxQueuedBytes of text),
// so an import uses both cores while its memory stays bounded whatever the feed.
class PreparePipeline {
 public:
  PreparePipeline(Env& env, const std::vector<Document>& docs, FeedFormat format, bool keep_going)
      : env_(env),
        docs_(docs),
        format_(format),
        keep_going_(keep_going),
        thread_([this] { Run(); }) {}
  ~PreparePipeline() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    space_.notify_all();
    thread_.join();
  }
  PreparePipeline(const PreparePipeline&) = delete;
  PreparePipeline& operator=(const PreparePipeline&) = delete;

  // The next document's preparation; called once per document, in order.
  Result<PreparedDocument> Next() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return !queue_.empty(); });
    Result<PreparedDocument> item = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= item ? Size(*item) : 0;
    lock.unlock();
    space_.notify_one();
    return item;
  }

 private:
  static constexpr size_t kMaxQueued = 256;

  static size_t Size(const PreparedDocument& p) {
    return p.text.size() + (p.osv ? p.osv->document.size() + p.osv->compiled.size() : 0);
  }
  static constexpr size_t kMaxQueuedBytes = 64u << 20;

  void Run() {
    OpenArchive open{env_, {}, nullptr};
    simdjson::dom::parser parser;
    for (const Document& doc : docs_) {
      Result<PreparedDocument> item = Prepare(doc, format_, open, parser);
      const bool failed = !item.has_value();
      const size_t bytes = failed ? 0 : Size(*item);
      std::unique_lock lock(mu_);
      space_.wait(lock, [&] {
        return stop_ || queue_.empty() ||
               (queue_.size() < kMaxQueued && queued_bytes_ + bytes <= kMaxQueuedBytes);
      });
      if (stop_) return;
      queue_.push_back(std::move(item));
      queued_bytes_ += bytes;
      lock.unlock();
      ready_.notify_one();
      if (failed && !keep_going_) return;  // the import stops at the first failure
    }
  }

  Env& env_;
  const std::vector<Document>& docs_;
  const FeedFormat format_;
  const bool keep_going_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<Result<PreparedDocument>> queue_;
  size_t queued_bytes_ = 0;
  bool stop_ = false;
  std::thread thread_;  // last: started once the members above exist
};

class Importer {
 public:
  Importer(AdvisoryDb& db, ImportReport& report) : db_(db), report_(report) {}

  Status Import(const Document& doc, const PreparedDocument& prepared) {
    std::string_view text = prepared.text;
    switch (prepared.format) {
      case FeedFormat::kOsv: {
        VIGIL_ASSIGN_OR_RETURN(PutOutcome o, db_.Put(*prepared.osv));
        report_.osv.Count(o);
        NoteChanged(o, prepared.osv->advisory);
        return OkStatus();
      }
      case FeedFormat::kCve5: {
        VIGIL_ASSIGN_OR_RETURN(PutOutcome o, db_.Put(*prepared.osv));
        report_.cve5.Count(o);
        NoteChanged(o, prepared.osv->advisory);
        return OkStatus();
      }
      case FeedFormat::kNvd:
        return ParseNvdFeed(text, doc.display, [&](NvdRecord r) -> Status {
          VIGIL_ASSIGN_OR_RETURN(PutOutcome o, db_.PutNvd(r));
          report_.nvd.Count(o);
          NoteChanged(o, r.advisory);
          return OkStatus();
        });
      case FeedFormat::kKev:
        return ImportKev(doc, text);
      case FeedFormat::kEpss:
        return ImportEpss(doc, text);
      case FeedFormat::kAuto:
        break;
    }
    return InternalError("feed import: unhandled format");
  }

 private:
  void NoteChanged(PutOutcome o, const Advisory& a) {
    if (o != PutOutcome::kUnchanged) report_.changed.push_back(StoredId(a));
  }

  Status ImportKev(const Document& doc, std::string_view text) {
    VIGIL_ASSIGN_OR_RETURN(KevCatalog catalog, ParseKev(text, doc.display));
    for (const KevEntry& e : catalog.entries) {
      VIGIL_ASSIGN_OR_RETURN(PutOutcome o, db_.PutKev(e));
      report_.kev.Count(o);
    }
    return db_.SetMeta("kev.catalog_version", catalog.catalog_version);
  }

  Status ImportEpss(const Document& doc, std::string_view text) {
    VIGIL_ASSIGN_OR_RETURN(EpssFeed feed, ParseEpssCsv(text, doc.display));
    for (const EpssScore& s : feed.scores) {
      VIGIL_ASSIGN_OR_RETURN(PutOutcome o, db_.PutEpss(s));
      report_.epss.Count(o);
    }
    if (!feed.model_version.empty())
      VIGIL_RETURN_IF_ERROR(db_.SetMeta("epss.model_version", feed.model_version));
    if (!feed.score_date.empty())
      VIGIL_RETURN_IF_ERROR(db_.SetMeta("epss.score_date", feed.score_date));
    return OkStatus();
  }

  AdvisoryDb& db_;
  ImportReport& report_;
};

// What a document's own content can cause (unreadable, malformed, over a limit), as opposed to
// the database failing: only these are refused one by one under keep_going.
bool DocumentFault(const Error& e) {
  return e.code() == ErrorCode::kInvalidArgument || e.code() == ErrorCode::kResourceExhausted ||
         e.code() == ErrorCode::kNotFound || e.code() == ErrorCode::kPermissionDenied;
}

// Imports one prepared document inside a savepoint; on a document fault the savepoint and the
// report's counts are rolled back and the fault is returned for the refused list.
Status ImportOneUndoable(AdvisoryDb& db, Importer& importer, const Document& doc,
                         const PreparedDocument& prepared, ImportReport& report) {
  const ImportReport before = report;
  VIGIL_RETURN_IF_ERROR(db.BeginDocument());
  Status s = importer.Import(doc, prepared);
  if (s) return db.KeepDocument();
  if (!DocumentFault(s.error())) return s;
  VIGIL_RETURN_IF_ERROR(db.UndoDocument());
  report = before;
  return s;
}

Status ImportAll(Env& env, AdvisoryDb& db, const std::vector<Document>& docs,
                 const ImportOptions& options, ImportReport& report) {
  Importer importer(db, report);
  PreparePipeline pipeline(env, docs, options.format, options.keep_going);
  for (size_t i = 0; i < docs.size(); ++i) {
    // A document that failed to be read or parsed wrote nothing yet: refusable whatever the
    // code. One that failed while being written is refusable only for its own content.
    Result<PreparedDocument> prepared = pipeline.Next();
    Status s = !prepared            ? Status(prepared.error())
               : options.keep_going ? ImportOneUndoable(db, importer, docs[i], *prepared, report)
                                    : importer.Import(docs[i], *prepared);
    const bool refusable = options.keep_going && (!prepared || (!s && DocumentFault(s.error())));
    if (!s && !refusable) return s;
    if (!s) report.refused.push_back(OneLine(s.error().message()));
    if (s) ++report.files;
    if (options.progress) options.progress(i + 1, docs.size());
  }
  return OkStatus();
}

}  // namespace

Result<FeedFormat> ParseFeedFormat(std::string_view name) {
  for (FeedFormat f : {FeedFormat::kAuto, FeedFormat::kOsv, FeedFormat::kNvd, FeedFormat::kCve5,
                       FeedFormat::kKev, FeedFormat::kEpss}) {
    if (name == FeedFormatName(f)) return f;
  }
  return InvalidArgumentError("feed format '" + std::string(name) +
                              "': expected one of auto, osv, nvd, cve5, kev, epss");
}

std::string_view FeedFormatName(FeedFormat format) {
  switch (format) {
    case FeedFormat::kOsv:
      return "osv";
    case FeedFormat::kNvd:
      return "nvd";
    case FeedFormat::kCve5:
      return "cve5";
    case FeedFormat::kKev:
      return "kev";
    case FeedFormat::kEpss:
      return "epss";
    case FeedFormat::kAuto:
      break;
  }
  return "auto";
}

Result<ImportReport> ImportFeeds(Env& env, AdvisoryDb& db, const std::vector<std::string>& sources,
                                 const ImportOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Document> docs, ListDocuments(env, sources));
  ImportReport report;
  VIGIL_RETURN_IF_ERROR(db.Begin());
  if (Status s = ImportAll(env, db, docs, options, report); !s) {
    (void)db.Rollback();
    return s.error();
  }
  VIGIL_RETURN_IF_ERROR(db.Commit());
  return report;
}

}  // namespace vigil::vuln
