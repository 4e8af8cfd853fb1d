// Binary encoding of the advisory model (see internal/advisory_codec.h).
#include "internal/advisory_codec.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace vigil::vuln::internal {
namespace {

class Writer {
 public:
  void Byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Bool(bool b) { Byte(b ? 1 : 0); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    Byte(static_cast<uint8_t>(v));
  }
  void Str(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Double(std::optional<double> d) {
    Bool(d.has_value());
    if (!d) return;
    uint64_t bits = std::bit_cast<uint64_t>(*d);
    for (int i = 0; i < 8; ++i) Byte(static_cast<uint8_t>(bits >> (8 * i)));
  }
  template <typename T, typename F>
  void List(const std::vector<T>& v, F each) {
    Varint(v.size());
    for (const T& e : v) each(e);
  }
  void Strings(const std::vector<std::string>& v) {
    List(v, [&](const std::string& s) { Str(s); });
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view data, std::string_view where) : data_(data), where_(where) {}

  Status Byte(uint8_t& b, const char* field) {
    if (pos_ >= data_.size()) return Fail(field, "truncated");
    b = static_cast<uint8_t>(data_[pos_++]);
    return OkStatus();
  }
  Status Bool(bool& b, const char* field) {
    uint8_t v = 0;
    VIGIL_RETURN_IF_ERROR(Byte(v, field));
    if (v > 1) return Fail(field, "expected a boolean byte 0 or 1, got " + std::to_string(v));
    b = v == 1;
    return OkStatus();
  }
  Status Varint(uint64_t& v, const char* field) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      VIGIL_RETURN_IF_ERROR(Byte(b, field));
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return OkStatus();
    }
    return Fail(field, "length runs past 64 bits");
  }
  // A count or length, which can never exceed the bytes left (each element takes >= 1 byte).
  // The one-byte lengths of almost every string take the short path, small enough to inline
  // (the decoding of a scan reads millions of them).
  Status Size(size_t& n, const char* field) {
    if (pos_ < data_.size()) {
      const uint8_t b = static_cast<uint8_t>(data_[pos_]);
      if (b < 0x80 && b < data_.size() - pos_) {
        n = b;
        ++pos_;
        return OkStatus();
      }
    }
    return LongSize(n, field);
  }
  [[gnu::noinline]] Status LongSize(size_t& n, const char* field) {
    uint64_t v = 0;
    VIGIL_RETURN_IF_ERROR(Varint(v, field));
    if (v > data_.size() - pos_) {
      return Fail(field, "length " + std::to_string(v) + " exceeds the " +
                             std::to_string(data_.size() - pos_) + " bytes left");
    }
    n = static_cast<size_t>(v);
    return OkStatus();
  }
  Status Str(std::string& s, const char* field) {
    size_t n = 0;
    VIGIL_RETURN_IF_ERROR(Size(n, field));
    s.clear();  // then a plain append: cheaper than assign's general replace
    s.append(data_.data() + pos_, n);
    pos_ += n;
    return OkStatus();
  }
  // A string as a view into the data (valid while the data is).
  Status Str(std::string_view& s, const char* field) {
    size_t n = 0;
    VIGIL_RETURN_IF_ERROR(Size(n, field));
    s = data_.substr(pos_, n);
    pos_ += n;
    return OkStatus();
  }
  Status Double(std::optional<double>& d, const char* field) {
    bool present = false;
    VIGIL_RETURN_IF_ERROR(Bool(present, field));
    if (!present) {
      d.reset();
      return OkStatus();
    }
    if (data_.size() - pos_ < 8) return Fail(field, "truncated");
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
      bits |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += 8;
    d = std::bit_cast<double>(bits);
    if (!std::isfinite(*d)) return Fail(field, "expected a finite number");
    return OkStatus();
  }
  template <typename E>
  Status Enum(E& e, E last, const char* field) {
    uint8_t v = 0;
    VIGIL_RETURN_IF_ERROR(Byte(v, field));
    if (v > static_cast<uint8_t>(last)) {
      return Fail(field, "enumerator " + std::to_string(v) + " out of range");
    }
    e = static_cast<E>(v);
    return OkStatus();
  }
  // The elements `v` holds already are decoded into (each decoder sets every field), so a
  // reused advisory keeps its strings' and vectors' storage.
  template <typename T, typename F>
  Status List(std::vector<T>& v, const char* field, F each) {
    size_t n = 0;
    VIGIL_RETURN_IF_ERROR(Size(n, field));
    v.resize(n);
    for (T& e : v) VIGIL_RETURN_IF_ERROR(each(e));
    return OkStatus();
  }
  Status Strings(std::vector<std::string>& v, const char* field) {
    return List(v, field, [&](std::string& s) { return Str(s, field); });
  }
  Status End() {
    if (pos_ != data_.size()) {
      return Fail("end", std::to_string(data_.size() - pos_) + " trailing bytes");
    }
    return OkStatus();
  }
  Status Fail(std::string_view field, std::string_view what) const {
    return InvalidArgumentError(std::string(where_) + ": compiled advisory, field " +
                                std::string(field) + " at byte " + std::to_string(pos_) + ": " +
                                std::string(what));
  }

 private:
  std::string_view data_, where_;
  size_t pos_ = 0;
};

void EncodeAffected(Writer& w, const AffectedPackage& p) {
  w.Str(p.ecosystem);
  w.Str(p.name);
  w.Str(p.purl);
  w.List(p.ranges, [&](const OsvRange& r) {
    w.Str(r.type);
    w.Str(r.repo);
    w.List(r.events, [&](const OsvEvent& e) {
      w.Byte(static_cast<uint8_t>(e.kind));
      w.Str(e.version);
    });
    w.Str(r.path);
  });
  w.Strings(p.versions);
  w.Strings(p.hidden_bounds);
  w.Str(p.path);
}

void EncodeConfiguration(Writer& w, const CpeConfiguration& c) {
  w.Bool(c.and_operator);
  w.Bool(c.negate);
  w.List(c.nodes, [&](const CpeNode& n) {
    w.Bool(n.and_operator);
    w.Bool(n.negate);
    w.List(n.matches, [&](const CpeMatch& m) {
      w.Str(m.criteria);
      w.Bool(m.vulnerable);
      w.Str(m.version_start_including);
      w.Str(m.version_start_excluding);
      w.Str(m.version_end_including);
      w.Str(m.version_end_excluding);
      w.Str(m.path);
    });
  });
}

void EncodeProduct(Writer& w, const Cve5Product& p) {
  w.Str(p.container);
  w.Str(p.vendor);
  w.Str(p.product);
  w.Str(p.default_status);
  w.Strings(p.cpes);
  w.List(p.versions, [&](const Cve5Version& v) {
    w.Str(v.version);
    w.Str(v.less_than);
    w.Str(v.less_than_or_equal);
    w.Str(v.version_type);
    w.Str(v.status);
    w.List(v.changes, [&](const Cve5Change& c) {
      w.Str(c.at);
      w.Str(c.status);
    });
    w.Str(v.path);
  });
  w.Str(p.path);
}

Status DecodeChange(Reader& r, Cve5Change& c) {
  VIGIL_RETURN_IF_ERROR(r.Str(c.at, "products.versions.changes.at"));
  return r.Str(c.status, "products.versions.changes.status");
}

Status DecodeVersion(Reader& r, Cve5Version& v) {
  VIGIL_RETURN_IF_ERROR(r.Str(v.version, "products.versions.version"));
  VIGIL_RETURN_IF_ERROR(r.Str(v.less_than, "products.versions.lessThan"));
  VIGIL_RETURN_IF_ERROR(r.Str(v.less_than_or_equal, "products.versions.lessThanOrEqual"));
  VIGIL_RETURN_IF_ERROR(r.Str(v.version_type, "products.versions.versionType"));
  VIGIL_RETURN_IF_ERROR(r.Str(v.status, "products.versions.status"));
  VIGIL_RETURN_IF_ERROR(r.List(v.changes, "products.versions.changes",
                               [&](Cve5Change& c) { return DecodeChange(r, c); }));
  return r.Str(v.path, "products.versions.path");
}

Status DecodeProduct(Reader& r, Cve5Product& p) {
  VIGIL_RETURN_IF_ERROR(r.Str(p.container, "products.container"));
  VIGIL_RETURN_IF_ERROR(r.Str(p.vendor, "products.vendor"));
  VIGIL_RETURN_IF_ERROR(r.Str(p.product, "products.product"));
  VIGIL_RETURN_IF_ERROR(r.Str(p.default_status, "products.defaultStatus"));
  VIGIL_RETURN_IF_ERROR(r.Strings(p.cpes, "products.cpes"));
  VIGIL_RETURN_IF_ERROR(
      r.List(p.versions, "products.versions", [&](Cve5Version& v) { return DecodeVersion(r, v); }));
  return r.Str(p.path, "products.path");
}

Status DecodeEvent(Reader& r, OsvEvent& e) {
  VIGIL_RETURN_IF_ERROR(r.Enum(e.kind, OsvEvent::Kind::kLimit, "affected.ranges.events"));
  return r.Str(e.version, "affected.ranges.events.version");
}

Status DecodeRange(Reader& r, OsvRange& range) {
  VIGIL_RETURN_IF_ERROR(r.Str(range.type, "affected.ranges.type"));
  VIGIL_RETURN_IF_ERROR(r.Str(range.repo, "affected.ranges.repo"));
  VIGIL_RETURN_IF_ERROR(r.List(range.events, "affected.ranges.events",
                               [&](OsvEvent& e) { return DecodeEvent(r, e); }));
  return r.Str(range.path, "affected.ranges.path");
}

Status DecodeAffected(Reader& r, AffectedPackage& p) {
  VIGIL_RETURN_IF_ERROR(r.Str(p.ecosystem, "affected.ecosystem"));
  VIGIL_RETURN_IF_ERROR(r.Str(p.name, "affected.name"));
  VIGIL_RETURN_IF_ERROR(r.Str(p.purl, "affected.purl"));
  VIGIL_RETURN_IF_ERROR(
      r.List(p.ranges, "affected.ranges", [&](OsvRange& x) { return DecodeRange(r, x); }));
  VIGIL_RETURN_IF_ERROR(r.Strings(p.versions, "affected.versions"));
  VIGIL_RETURN_IF_ERROR(r.Strings(p.hidden_bounds, "affected.hidden_bounds"));
  return r.Str(p.path, "affected.path");
}

// DecodeRange and DecodeAffected into views: the same fields, checks and messages.
Status DecodeRangeView(Reader& r, OsvView& v) {
  OsvView::Range range;
  VIGIL_RETURN_IF_ERROR(r.Str(range.type, "affected.ranges.type"));
  VIGIL_RETURN_IF_ERROR(r.Str(range.repo, "affected.ranges.repo"));
  size_t n = 0;
  VIGIL_RETURN_IF_ERROR(r.Size(n, "affected.ranges.events"));
  range.events_begin = v.events.size();
  for (size_t i = 0; i < n; ++i) {
    OsvView::Event e{};
    VIGIL_RETURN_IF_ERROR(r.Enum(e.kind, OsvEvent::Kind::kLimit, "affected.ranges.events"));
    VIGIL_RETURN_IF_ERROR(r.Str(e.version, "affected.ranges.events.version"));
    v.events.push_back(e);
  }
  range.events_end = v.events.size();
  VIGIL_RETURN_IF_ERROR(r.Str(range.path, "affected.ranges.path"));
  v.ranges.push_back(range);
  return OkStatus();
}

// Appends a list of strings to v.texts; [begin, end) says where.
Status DecodeTextsView(Reader& r, OsvView& v, const char* field, size_t& begin, size_t& end) {
  size_t n = 0;
  VIGIL_RETURN_IF_ERROR(r.Size(n, field));
  begin = v.texts.size();
  for (size_t i = 0; i < n; ++i) {
    std::string_view s;
    VIGIL_RETURN_IF_ERROR(r.Str(s, field));
    v.texts.push_back(s);
  }
  end = v.texts.size();
  return OkStatus();
}

Status DecodeAffectedView(Reader& r, OsvView& v) {
  OsvView::Package p;
  std::string_view purl;
  VIGIL_RETURN_IF_ERROR(r.Str(p.ecosystem, "affected.ecosystem"));
  VIGIL_RETURN_IF_ERROR(r.Str(p.name, "affected.name"));
  VIGIL_RETURN_IF_ERROR(r.Str(purl, "affected.purl"));
  size_t n = 0;
  VIGIL_RETURN_IF_ERROR(r.Size(n, "affected.ranges"));
  p.ranges_begin = v.ranges.size();
  for (size_t i = 0; i < n; ++i) VIGIL_RETURN_IF_ERROR(DecodeRangeView(r, v));
  p.ranges_end = v.ranges.size();
  VIGIL_RETURN_IF_ERROR(
      DecodeTextsView(r, v, "affected.versions", p.versions_begin, p.versions_end));
  VIGIL_RETURN_IF_ERROR(
      DecodeTextsView(r, v, "affected.hidden_bounds", p.bounds_begin, p.bounds_end));
  VIGIL_RETURN_IF_ERROR(r.Str(p.path, "affected.path"));
  v.affected.push_back(p);
  return OkStatus();
}

Status DecodeMatch(Reader& r, CpeMatch& m) {
  VIGIL_RETURN_IF_ERROR(r.Str(m.criteria, "cpeMatch.criteria"));
  VIGIL_RETURN_IF_ERROR(r.Bool(m.vulnerable, "cpeMatch.vulnerable"));
  VIGIL_RETURN_IF_ERROR(r.Str(m.version_start_including, "cpeMatch.versionStartIncluding"));
  VIGIL_RETURN_IF_ERROR(r.Str(m.version_start_excluding, "cpeMatch.versionStartExcluding"));
  VIGIL_RETURN_IF_ERROR(r.Str(m.version_end_including, "cpeMatch.versionEndIncluding"));
  VIGIL_RETURN_IF_ERROR(r.Str(m.version_end_excluding, "cpeMatch.versionEndExcluding"));
  return r.Str(m.path, "cpeMatch.path");
}

Status DecodeNode(Reader& r, CpeNode& n) {
  VIGIL_RETURN_IF_ERROR(r.Bool(n.and_operator, "nodes.operator"));
  VIGIL_RETURN_IF_ERROR(r.Bool(n.negate, "nodes.negate"));
  return r.List(n.matches, "nodes.cpeMatch", [&](CpeMatch& m) { return DecodeMatch(r, m); });
}

Status DecodeConfiguration(Reader& r, CpeConfiguration& c) {
  VIGIL_RETURN_IF_ERROR(r.Bool(c.and_operator, "configurations.operator"));
  VIGIL_RETURN_IF_ERROR(r.Bool(c.negate, "configurations.negate"));
  return r.List(c.nodes, "configurations.nodes", [&](CpeNode& n) { return DecodeNode(r, n); });
}

Status DecodeSeverity(Reader& r, SeverityScore& s, uint8_t version) {
  VIGIL_RETURN_IF_ERROR(r.Str(s.type, "severity.type"));
  VIGIL_RETURN_IF_ERROR(r.Str(s.vector, "severity.score"));
  VIGIL_RETURN_IF_ERROR(r.Double(s.base_score, "severity.base_score"));
  VIGIL_RETURN_IF_ERROR(r.Str(s.label, "severity.label"));
  if (version < 3) {
    s.source.clear();
    s.role.clear();
    return OkStatus();
  }
  VIGIL_RETURN_IF_ERROR(r.Str(s.source, "severity.source"));
  return r.Str(s.role, "severity.role");
}

}  // namespace

std::string EncodeAdvisory(const Advisory& a) {
  Writer w;
  w.Byte(kAdvisoryCodecVersion);
  w.Byte(static_cast<uint8_t>(a.source));
  w.Str(a.id);
  w.Str(a.modified);
  w.Str(a.published);
  w.Str(a.withdrawn);
  w.Str(a.summary);
  w.Strings(a.aliases);
  w.List(a.severities, [&](const SeverityScore& s) {
    w.Str(s.type);
    w.Str(s.vector);
    w.Double(s.base_score);
    w.Str(s.label);
    w.Str(s.source);
    w.Str(s.role);
  });
  w.Str(a.severity_label);
  w.List(a.affected, [&](const AffectedPackage& p) { EncodeAffected(w, p); });
  w.List(a.configurations, [&](const CpeConfiguration& c) { EncodeConfiguration(w, c); });
  w.Str(a.status);
  w.List(a.products, [&](const Cve5Product& p) { EncodeProduct(w, p); });
  w.List(a.weaknesses, [&](const Weakness& x) {
    w.Str(x.id);
    w.Str(x.name);
  });
  return w.Take();
}

Result<Advisory> DecodeAdvisory(std::string_view data, std::string_view where) {
  Advisory a;
  VIGIL_RETURN_IF_ERROR(DecodeAdvisoryInto(data, where, a));
  return a;
}

namespace {

// Every field into `a`, affected[] through `affected` (a Status(Reader&) callable).
template <typename F>
Status DecodeFields(std::string_view data, std::string_view where, Advisory& a, F affected) {
  Reader r(data, where);
  uint8_t version = 0;
  VIGIL_RETURN_IF_ERROR(r.Byte(version, "format"));
  if (version < 2 || version > kAdvisoryCodecVersion) {
    return r.Fail("format", "expected version 2 to " + std::to_string(kAdvisoryCodecVersion) +
                                ", got " + std::to_string(version));
  }
  VIGIL_RETURN_IF_ERROR(r.Enum(a.source, AdvisorySource::kCve5, "source"));
  VIGIL_RETURN_IF_ERROR(r.Str(a.id, "id"));
  VIGIL_RETURN_IF_ERROR(r.Str(a.modified, "modified"));
  VIGIL_RETURN_IF_ERROR(r.Str(a.published, "published"));
  VIGIL_RETURN_IF_ERROR(r.Str(a.withdrawn, "withdrawn"));
  VIGIL_RETURN_IF_ERROR(r.Str(a.summary, "summary"));
  VIGIL_RETURN_IF_ERROR(r.Strings(a.aliases, "aliases"));
  VIGIL_RETURN_IF_ERROR(r.List(a.severities, "severity",
                               [&](SeverityScore& s) { return DecodeSeverity(r, s, version); }));
  VIGIL_RETURN_IF_ERROR(r.Str(a.severity_label, "severity_label"));
  VIGIL_RETURN_IF_ERROR(affected(r));
  VIGIL_RETURN_IF_ERROR(r.List(a.configurations, "configurations",
                               [&](CpeConfiguration& c) { return DecodeConfiguration(r, c); }));
  VIGIL_RETURN_IF_ERROR(r.Str(a.status, "status"));
  VIGIL_RETURN_IF_ERROR(
      r.List(a.products, "products", [&](Cve5Product& p) { return DecodeProduct(r, p); }));
  if (version >= 4) {
    auto weakness = [&](Weakness& x) -> Status {
      VIGIL_RETURN_IF_ERROR(r.Str(x.id, "weakness.id"));
      return r.Str(x.name, "weakness.name");
    };
    VIGIL_RETURN_IF_ERROR(r.List(a.weaknesses, "weaknesses", weakness));
  } else {
    a.weaknesses.clear();
  }
  return r.End();
}

}  // namespace

Status DecodeAdvisoryInto(std::string_view data, std::string_view where, Advisory& a) {
  return DecodeFields(data, where, a, [&](Reader& r) {
    return r.List(a.affected, "affected", [&](AffectedPackage& p) { return DecodeAffected(r, p); });
  });
}

Status DecodeAdvisorySplit(std::string_view data, std::string_view where, Advisory& a,
                           OsvView& affected) {
  affected.Clear();
  a.affected.clear();
  auto views = [&](Reader& r) -> Status {
    size_t n = 0;
    VIGIL_RETURN_IF_ERROR(r.Size(n, "affected"));
    for (size_t i = 0; i < n; ++i) VIGIL_RETURN_IF_ERROR(DecodeAffectedView(r, affected));
    return OkStatus();
  };
  VIGIL_RETURN_IF_ERROR(DecodeFields(data, where, a, views));
  affected.id = a.id;
  affected.withdrawn = a.withdrawn;
  return OkStatus();
}

Status DecodeStored(std::string_view data, const std::string& path, std::string_view id,
                    Advisory& out, OsvView* affected) {
  Status decoded = affected != nullptr ? DecodeAdvisorySplit(data, path, out, *affected)
                                       : DecodeAdvisoryInto(data, path, out);
  if (decoded) return decoded;
  auto labelled = DecodeAdvisory(data, path + ": advisory " + std::string(id));
  return DataLossError(labelled ? decoded.error().message() : labelled.error().message());
}

void ViewOf(const Advisory& adv, OsvView& out) {
  out.Clear();
  out.id = adv.id;
  out.withdrawn = adv.withdrawn;
  for (const AffectedPackage& p : adv.affected) {
    OsvView::Package v{p.ecosystem, p.name, p.path};
    v.ranges_begin = out.ranges.size();
    for (const OsvRange& r : p.ranges) {
      OsvView::Range range{r.type, r.repo, r.path, out.events.size(), 0};
      for (const OsvEvent& e : r.events) out.events.push_back({e.kind, e.version});
      range.events_end = out.events.size();
      out.ranges.push_back(range);
    }
    v.ranges_end = out.ranges.size();
    v.versions_begin = out.texts.size();
    out.texts.insert(out.texts.end(), p.versions.begin(), p.versions.end());
    v.versions_end = v.bounds_begin = out.texts.size();
    out.texts.insert(out.texts.end(), p.hidden_bounds.begin(), p.hidden_bounds.end());
    v.bounds_end = out.texts.size();
    out.affected.push_back(v);
  }
}

}  // namespace vigil::vuln::internal
