// `vigil help-export --format markdown|man|bash|commands [--out F]` (hidden): the command's own
// help — every subcommand's synopsis, description and options, as CLI11 holds them — rendered as
// the README's command table, a man page, a bash completion script or a plain list of commands.
// Generated, never written by hand, so none of them can drift from the tool
// (scripts/readme_commands puts the table in README.md; a test compares them).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/utf8.h"

namespace vigil::cli {
namespace {

constexpr const char* kSelf = "help-export";

struct ExportOptions {
  std::string format, out;
  bool force = false;
};

// A command that runs something: a subcommand with no visible subcommands of its own.
struct Command {
  std::string path;  // "log append"
  const CLI::App* app;
};

std::vector<const CLI::App*> VisibleSubcommands(const CLI::App& app) {
  return app.get_subcommands(
      [](const CLI::App* s) { return !s->get_group().empty() && s->get_name() != kSelf; });
}

void CollectCommands(const CLI::App& app, const std::string& path, std::vector<Command>& out) {
  auto subs = VisibleSubcommands(app);
  if (subs.empty() && !path.empty()) out.push_back({path, &app});
  for (const CLI::App* s : subs) {
    CollectCommands(*s, path.empty() ? s->get_name() : path + " " + s->get_name(), out);
  }
}

std::vector<Command> AllCommands(const CLI::App& root) {
  std::vector<Command> out;
  CollectCommands(root, "", out);
  std::sort(out.begin(), out.end(),
            [](const Command& a, const Command& b) { return a.path < b.path; });
  return out;
}

// The options a user sees in help: not the help flag, not hidden ones (empty group).
std::vector<const CLI::Option*> VisibleOptions(const CLI::App& app) {
  return app.get_options([&](const CLI::Option* o) {
    return o != app.get_help_ptr() && o != app.get_help_all_ptr() && !o->get_group().empty();
  });
}

// A flag expects no value (CLI11 sets expected(0) for flags); a vector option any number.
bool TakesValue(const CLI::Option& o) { return o.get_expected_max() != 0; }
bool Repeatable(const CLI::Option& o) { return o.get_expected_max() > 1; }

// `--dir` → "DIR", positional `sbom` → "SBOM".
std::string Placeholder(const CLI::Option& o) {
  std::string name = o.get_positional() ? o.get_name() : o.get_lnames().front();
  for (char& c : name) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return name;
}

std::string LongName(const CLI::Option& o) {
  return o.get_lnames().empty() ? "-" + o.get_snames().front() : "--" + o.get_lnames().front();
}

// "--vex VEX..." / "[--force]" / "SBOM".
std::string OptionSynopsis(const CLI::Option& o) {
  std::string s = o.get_positional() ? Placeholder(o) : LongName(o);
  if (!o.get_positional() && TakesValue(o)) s += " " + Placeholder(o);
  if (Repeatable(o)) s += "...";
  return o.get_required() ? s : "[" + s + "]";
}

// "vigil log append --dir DIR ... [--actor ACTOR]": options first, positionals last, as in help.
std::string Synopsis(const Command& c) {
  std::string named, positional;
  for (const CLI::Option* o : VisibleOptions(*c.app)) {
    (o->get_positional() ? positional : named) += " " + OptionSynopsis(*o);
  }
  return "vigil " + c.path + named + positional;
}

std::string MarkdownCell(std::string text) {
  std::string out;
  for (char ch : text) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

std::string RenderMarkdown(const std::vector<Command>& commands) {
  std::string out = "| command | what it does |\n|---|---|\n";
  for (const Command& c : commands) {
    out += "| `" + MarkdownCell(Synopsis(c)) + "` | " + MarkdownCell(c.app->get_description()) +
           " |\n";
  }
  return out;
}

std::string RenderList(const std::vector<Command>& commands) {
  std::string out;
  for (const Command& c : commands) out += c.path + "\n";
  return out;
}

// A UTF-8 sequence as roff's \[uXXXX] (groff reads its input as Latin-1 otherwise).
std::string RoffCodePoint(std::string_view seq) {
  uint32_t cp = static_cast<uint8_t>(seq[0]) & (0x7f >> seq.size());
  for (size_t i = 1; i < seq.size(); ++i) cp = (cp << 6) | (static_cast<uint8_t>(seq[i]) & 0x3f);
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\[u%04X]", cp);
  return buf;
}

// roff text: backslashes escaped, hyphens as minus signs (so `--out` can be searched and
// copied), non-ASCII as code points, and a line starting with a control character protected.
std::string Roff(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    const size_t n = Utf8SequenceLength(text, i);
    if (n > 1) {
      out += RoffCodePoint(text.substr(i, n));
      i += n - 1;
    } else if (ch == '\\') {
      out += "\\e";
    } else if (ch == '-') {
      out += "\\-";
    } else {
      out += ch;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string RenderMan(const CLI::App& root, const std::vector<Command>& commands) {
  std::string out = ".TH VIGIL 1 \"\" \"vigil " VIGIL_VERSION "\" \"Vigil manual\"\n";
  out += ".SH NAME\nvigil \\- " + Roff(root.get_description()) + "\n";
  out += ".SH SYNOPSIS\n.B vigil\n.I command\n[options]\n.br\n.B vigil \\-\\-version\n";
  out +=
      ".SH DESCRIPTION\nErrors are one line on standard error saying what was expected and "
      "what was found. Generated from the command's own help (vigil help\\-export).\n";
  out += ".SH COMMANDS\n";
  for (const Command& c : commands) {
    out += ".SS " + Roff("vigil " + c.path) + "\n" + Roff(Synopsis(c)) + "\n.PP\n" +
           Roff(c.app->get_description()) + "\n";
    for (const CLI::Option* o : VisibleOptions(*c.app)) {
      std::string name = o->get_positional() ? Placeholder(*o) : LongName(*o);
      if (!o->get_positional() && TakesValue(*o)) name += " " + Placeholder(*o);
      out += ".TP\n.B " + Roff(name) + "\n" + Roff(o->get_description()) + "\n";
    }
  }
  out +=
      ".SH EXIT STATUS\n0 success, 1 verification failed or findings present, 2 usage or "
      "input error.\n";
  out +=
      ".SH ENVIRONMENT\n.TP\n.B VIGIL_VAULT_PASSPHRASE\nThe passphrase that seals the "
      "vault's KEK (vigil vault); never given on the command line.\n";
  return out;
}

// Shell words of a list of names, space-separated.
std::string Words(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

// One `case` arm per command path: its subcommands or its options, and which options take a
// value (after those, bash completes file names).
void CompletionArms(const CLI::App& app, const std::string& path, std::string& words_arms,
                    std::string& value_arms) {
  std::vector<std::string> words, valued;
  for (const CLI::App* s : VisibleSubcommands(app)) words.push_back(s->get_name());
  for (const CLI::Option* o : VisibleOptions(app)) {
    if (o->get_positional()) continue;
    words.push_back(LongName(*o));
    if (TakesValue(*o)) valued.push_back(LongName(*o));
  }
  if (path.empty()) words.insert(words.end(), {"--help", "--help-all"});
  words_arms += "    '" + path + "') words='" + Words(words) + "' ;;\n";
  if (!valued.empty()) value_arms += "    '" + path + "') valued=' " + Words(valued) + " ' ;;\n";
  for (const CLI::App* s : VisibleSubcommands(app)) {
    CompletionArms(*s, path.empty() ? s->get_name() : path + " " + s->get_name(), words_arms,
                   value_arms);
  }
}

std::string RenderBash(const CLI::App& root) {
  std::string words_arms, value_arms;
  CompletionArms(root, "", words_arms, value_arms);
  std::string out =
      "# bash completion for vigil (generated by `vigil help-export --format bash`)\n"
      "_vigil() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "  local path='' next words='' valued='' i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    next=\"${path:+$path }${COMP_WORDS[i]}\"\n"
      "    case \"$next\" in\n";
  std::vector<Command> all;
  CollectCommands(root, "", all);
  std::vector<std::string> paths;
  for (const Command& c : all) {
    for (size_t sp = c.path.find(' '); sp != std::string::npos; sp = c.path.find(' ', sp + 1)) {
      paths.push_back(c.path.substr(0, sp));
    }
    paths.push_back(c.path);
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  for (const std::string& p : paths) out += "      '" + p + "') path=$next ;;\n";
  out += "    esac\n  done\n  case \"$path\" in\n" + value_arms +
         "  esac\n"
         "  if [[ $valued == *\" $prev \"* ]]; then COMPREPLY=(); return; fi  # a file name\n"
         "  case \"$path\" in\n" +
         words_arms +
         "  esac\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "}\n"
         "complete -o default -F _vigil vigil\n";
  return out;
}

int Run(const CLI::App& root, const ExportOptions& o) {
  const std::vector<Command> commands = AllCommands(root);
  std::string text;
  if (o.format == "markdown") {
    text = RenderMarkdown(commands);
  } else if (o.format == "man") {
    text = RenderMan(root, commands);
  } else if (o.format == "bash") {
    text = RenderBash(root);
  } else if (o.format == "commands") {
    text = RenderList(commands);
  } else {
    return ReportError(kSelf, InvalidArgumentError("--format: expected markdown, man, bash or "
                                                   "commands, got '" +
                                                   o.format + "'"));
  }
  if (o.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  if (Status s = WriteOutput(o.out, AsBytes(text), o.force); !s)
    return ReportError(kSelf, s.error());
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand(kSelf,
                                 "The command's help as README table, man page, bash "
                                 "completion or command list");
  cmd->group("");  // for the build and the README script, not for users' help
  cmd->add_option("--format", o->format, "markdown, man, bash or commands")->required();
  AddOutOption(cmd, o->out, "Output file (default: standard output)");
  cmd->add_flag("--force", o->force, "Replace --out if it exists");
  const CLI::App* root = &app;
  cmd->callback([o, root] { SetExitCode(Run(*root, *o)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
