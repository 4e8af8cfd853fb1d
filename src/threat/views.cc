// Every view is one emitter (Graph) over a subset of the model: the assets and links it shows,
// each asset inside the clusters of its nested trust boundaries (only the boundaries that hold
// something shown), with per-view decorations of labels and edges.
#include "vigil/threat/views.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "vigil/core/bytes.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"

extern char** environ;

namespace vigil::threat {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";  // DOT's own line break inside a label
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\r' ? ' ' : c;
  }
  return out + "\"";
}

std::string_view Shape(AssetKind k) {
  switch (k) {
    case AssetKind::kProcess:
      return "ellipse";
    case AssetKind::kDatastore:
      return "cylinder";
    case AssetKind::kExternalEntity:
      return "box";
    case AssetKind::kInterface:
      return "hexagon";
  }
  return "ellipse";
}

std::string_view HarmColour(std::string_view harm) {
  if (harm == "catastrophic" || harm == "critical") return "red3";
  if (harm == "serious") return "darkorange";
  if (harm == "minor") return "goldenrod";
  return "gray40";
}

// What one view shows and how it decorates it.
struct Subset {
  std::set<std::string_view> assets;
  std::vector<const Link*> links;
  std::function<std::string(const Asset&)> extra_label;     // appended on a new line
  std::function<std::string(const Link&)> edge_attributes;  // appended inside [...]
};

class Graph {
 public:
  Graph(const Model& m, const Subset& s) : m_(m), s_(s) {
    for (const Boundary& b : m.boundaries) children_[b.parent].push_back(&b);
    for (const Asset& a : m.assets) {
      if (s.assets.contains(a.id)) members_[a.boundary].push_back(&a);
    }
  }

  std::string Dot(std::string_view name, std::string_view title) {
    out_ = "digraph " + Quote(name) + " {\n  graph [label=" + Quote(title) +
           ", labelloc=t, fontname=Helvetica, rankdir=LR, compound=true];\n"
           "  node [fontname=Helvetica, fontsize=10];\n  edge [fontname=Helvetica, fontsize=9];\n";
    for (const Boundary* b : children_[""]) Cluster(*b, 1);
    for (const Link* l : s_.links) Edge(*l);
    return out_ + "}\n";
  }

 private:
  // Whether the boundary or one inside it holds a shown asset.
  bool Holds(const Boundary& b) {
    if (auto it = holds_.find(b.id); it != holds_.end()) return it->second;
    bool h = members_.contains(b.id);
    for (const Boundary* c : children_[b.id]) h = Holds(*c) || h;
    return holds_[b.id] = h;
  }

  void Cluster(const Boundary& b, int depth) {
    if (!Holds(b)) return;
    const std::string pad(static_cast<size_t>(depth) * 2, ' ');
    out_ += pad + "subgraph " + Quote("cluster_" + b.id) + " {\n" + pad +
            "  label=" + Quote(b.name + " [" + std::string(BoundaryKindName(b.kind)) + "]") +
            "; style=" +
            (b.kind == BoundaryKind::kPatient ? "\"filled,rounded\"; fillcolor=mistyrose"
                                              : "\"dashed,rounded\"") +
            ";\n";
    for (const Asset* a : members_[b.id]) Node(*a, pad + "  ");
    for (const Boundary* c : children_[b.id]) Cluster(*c, depth + 1);
    out_ += pad + "}\n";
  }

  void Node(const Asset& a, const std::string& pad) {
    std::string label = a.name + "\n(" + std::string(AssetKindName(a.kind)) + ")";
    if (s_.extra_label) {
      std::string extra = s_.extra_label(a);
      if (!extra.empty()) label += "\n" + extra;
    }
    out_ += pad + Quote(a.id) + " [label=" + Quote(label) +
            ", shape=" + std::string(Shape(a.kind)) + "];\n";
  }

  void Edge(const Link& l) {
    std::string label = l.protocol + (l.port ? ":" + std::to_string(*l.port) : "") + "\n" +
                        std::string(AuthenticationName(l.authentication)) + " / " +
                        std::string(EncryptionName(l.encryption));
    std::string attributes = "label=" + Quote(label);
    if (l.carries_therapy_commands) attributes += ", color=red, penwidth=2";
    if (l.authentication == Authentication::kNone) attributes += ", style=dashed";
    if (s_.edge_attributes) attributes += s_.edge_attributes(l);
    out_ += "  " + Quote(l.from) + " -> " + Quote(l.to) + " [" + attributes +
            ", tooltip=" + Quote(l.id) + "];\n";
  }

  const Model& m_;
  const Subset& s_;
  std::map<std::string, std::vector<const Boundary*>> children_;
  std::unordered_map<std::string, std::vector<const Asset*>> members_;
  std::unordered_map<std::string, bool> holds_;
  std::string out_;
};

// The facts views read: harm and whether an asset is outside the device.
struct ViewFacts {
  std::unordered_map<std::string_view, std::string> harm;
  std::set<std::string_view> outside;
  explicit ViewFacts(const Model& m) {
    size_t harm_i = 0, outside_i = 0;
    for (size_t i = 0; i < Facts().size(); ++i) {
      if (Facts()[i].name == "harm") harm_i = i;
      if (Facts()[i].name == "outside_device") outside_i = i;
    }
    std::vector<ElementFacts> facts = ComputeFacts(m);
    for (size_t i = 0; i < m.assets.size(); ++i) {
      harm[m.assets[i].id] = facts[i].values[harm_i];
      if (facts[i].values[outside_i] == "true") outside.insert(m.assets[i].id);
    }
  }
};

View Global(const Model& m) {
  Subset s;
  for (const Asset& a : m.assets) s.assets.insert(a.id);
  for (const Link& l : m.links) s.links.push_back(&l);
  return {"global", "Global system view",
          Graph(m, s).Dot("global", m.device.name + ": global system view")};
}

View MultiPatient(const Model& m, const ViewFacts& vf) {
  Subset s;
  for (const Link& l : m.links) {
    if (!vf.outside.contains(l.from) && !vf.outside.contains(l.to)) continue;
    s.links.push_back(&l);
    s.assets.insert(l.from);
    s.assets.insert(l.to);
  }
  s.extra_label = [&](const Asset& a) { return "harm: " + vf.harm.at(a.id); };
  s.edge_attributes = [&](const Link& l) {
    return l.carries_therapy_commands ? std::string()
                                      : ", color=" + std::string(HarmColour(vf.harm.at(l.to)));
  };
  return {"multi-patient", "Multi-patient harm view",
          Graph(m, s).Dot("multi-patient", m.device.name + ": multi-patient harm view")};
}

View Update(const Model& m) {
  Subset s;
  for (const Link& l : m.links) {
    if (!l.update_path) continue;
    s.links.push_back(&l);
    s.assets.insert(l.from);
    s.assets.insert(l.to);
  }
  s.extra_label = [](const Asset& a) { return a.sbom.empty() ? "SBOM: none" : "SBOM: " + a.sbom; };
  s.edge_attributes = [](const Link& l) {
    return std::string(l.signed_payload ? ", xlabel=\"signed\", color=darkgreen"
                                        : ", xlabel=\"UNSIGNED\", color=red");
  };
  return {"update", "Updatability and patchability view",
          Graph(m, s).Dot("update", m.device.name + ": updatability / patchability view")};
}

View UseCase(const Model& m, const ClinicalFunction& f,
             const std::unordered_map<std::string_view, std::pair<int, int>>& counts) {
  Subset s;
  for (const Asset& a : m.assets) {
    if (std::find(a.supports.begin(), a.supports.end(), f.id) != a.supports.end()) {
      s.assets.insert(a.id);
    }
  }
  const std::set<std::string_view> supporting = s.assets;
  for (const Link& l : m.links) {
    if (!supporting.contains(l.from) && !supporting.contains(l.to)) continue;
    s.links.push_back(&l);
    s.assets.insert(l.from);
    s.assets.insert(l.to);
  }
  s.extra_label = [&counts](const Asset& a) {
    auto it = counts.find(a.id);
    if (it == counts.end()) return std::string("no findings");
    return std::to_string(it->second.first) + " findings, " + std::to_string(it->second.second) +
           " uncontrolled after mitigation";
  };
  std::string title = m.device.name + ": security use case — " + f.name +
                      (f.essential_performance ? " (essential performance)" : "") + ", severity " +
                      std::string(risk::HarmName(f.severity));
  return {"use-case-" + f.id, "Security use case: " + f.name,
          Graph(m, s).Dot("use-case-" + f.id, title)};
}

}  // namespace

std::vector<View> MakeViews(const Model& model, const Analysis& analysis) {
  const ViewFacts vf(model);
  std::unordered_map<std::string_view, std::pair<int, int>>
      counts;  // element → (all, uncontrolled)
  for (const Finding& f : analysis.findings) {
    auto& c = counts[f.element];
    ++c.first;
    c.second += f.post.controlled ? 0 : 1;
  }
  std::vector<View> out = {Global(model), MultiPatient(model, vf), Update(model)};
  for (const ClinicalFunction& f : model.functions) out.push_back(UseCase(model, f, counts));
  return out;
}

Status RenderSvg(Env& env, const std::string& dot_path, const std::string& svg_path) {
  // dot's own complaints go to a file beside the SVG, so that a failure is still one line
  // (the first of them) and a success prints nothing.
  const std::string log_path = svg_path + ".log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  std::string out_arg = "-o" + svg_path;
  std::vector<char*> argv = {const_cast<char*>("dot"), const_cast<char*>("-Tsvg"), out_arg.data(),
                             const_cast<char*>(dot_path.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "dot", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT) {
    return FailedPreconditionError(
        "dot (Graphviz) not found on PATH: install Graphviz (Debian package graphviz) to render "
        "the views");
  }
  if (rc != 0) return InternalError("cannot start dot: " + std::string(std::strerror(rc)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return InternalError("waiting for dot: " + std::string(std::strerror(errno)));
  }
  auto log = env.ReadFile(log_path);
  (void)env.RemoveFile(log_path);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string said = log ? std::string(AsStringView(*log)) : std::string();
    said = said.substr(0, said.find('\n'));
    return InternalError(dot_path + ": dot failed (exit status " +
                         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ": " +
                         OneLine(said) + "); expected DOT that Graphviz renders");
  }
  return OkStatus();
}

}  // namespace vigil::threat
