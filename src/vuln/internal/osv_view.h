// The fields of an advisory OSV matching reads (id, withdrawn, affected[]), as views: into a
// stored compiled form (advisory_codec.h's DecodeStored), so that a scan matches each of a
// package's advisories without copying its affected[] entries (PyPI's list every version; they
// were most of a scan's decoding), or into an Advisory (ViewOf) for tests and fuzzers.
//
// The views are valid while the bytes they point into are. One OsvView is reused from advisory
// to advisory: Clear() keeps its vectors' storage.
//
// Thread-safety: a value type; not synchronised.
#ifndef VIGIL_VULN_INTERNAL_OSV_VIEW_H_
#define VIGIL_VULN_INTERNAL_OSV_VIEW_H_

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "vigil/vuln/advisory.h"

namespace vigil::vuln::internal {

struct OsvView {
  struct Event {
    OsvEvent::Kind kind;
    std::string_view version;
    bool operator==(const Event&) const = default;
  };
  // The events of a range, the ranges, versions and hidden bounds of a package, are slices of
  // the flat vectors below ([begin, end) indexes).
  struct Range {
    std::string_view type, repo, path;
    size_t events_begin = 0, events_end = 0;
    bool operator==(const Range&) const = default;
  };
  struct Package {
    std::string_view ecosystem, name, path;
    size_t ranges_begin = 0, ranges_end = 0;
    size_t versions_begin = 0, versions_end = 0;
    size_t bounds_begin = 0, bounds_end = 0;
    bool operator==(const Package&) const = default;
  };

  std::string_view id, withdrawn;
  std::vector<Package> affected;
  std::vector<Range> ranges;
  std::vector<Event> events;
  std::vector<std::string_view> texts;  // versions and hidden bounds
  // Equal when they view the same text (wherever it is).
  bool operator==(const OsvView&) const = default;

  void Clear() {
    affected.clear();
    ranges.clear();
    events.clear();
    texts.clear();
  }
  std::span<const Range> RangesOf(const Package& p) const {
    return std::span(ranges).subspan(p.ranges_begin, p.ranges_end - p.ranges_begin);
  }
  std::span<const Event> EventsOf(const Range& r) const {
    return std::span(events).subspan(r.events_begin, r.events_end - r.events_begin);
  }
  std::span<const std::string_view> VersionsOf(const Package& p) const {
    return std::span(texts).subspan(p.versions_begin, p.versions_end - p.versions_begin);
  }
  std::span<const std::string_view> BoundsOf(const Package& p) const {
    return std::span(texts).subspan(p.bounds_begin, p.bounds_end - p.bounds_begin);
  }
};

// `adv`'s matching fields as views into it (replacing what `out` held).
void ViewOf(const Advisory& adv, OsvView& out);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_OSV_VIEW_H_
