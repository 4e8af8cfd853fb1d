// A recursive-descent parser over a token list. Conditions are one line of a rule file, so the
// parser favours exact messages over speed; evaluation walks the small tree per element.
#include "internal/condition.h"

#include <algorithm>

#include "vigil/core/encoding.h"

namespace vigil::threat {
namespace {

constexpr int kMaxConditionDepth = 32;
constexpr size_t kMaxConditionLength = 2000;

struct Token {
  std::string text;  // an operator ("&&", "(", ...) or a word; empty at the end
  size_t column;     // 1-based
  bool word;
};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/';
}

Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> out;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (IsWordChar(c)) {
      size_t j = i;
      while (j < text.size() && IsWordChar(text[j])) ++j;
      out.push_back({std::string(text.substr(i, j - i)), i + 1, true});
      i = j;
    } else if (text.substr(i, 2) == "&&" || text.substr(i, 2) == "||" ||
               text.substr(i, 2) == "==" || text.substr(i, 2) == "!=") {
      out.push_back({std::string(text.substr(i, 2)), i + 1, false});
      i += 2;
    } else if (c == '!' || c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
      out.push_back({std::string(1, c), i + 1, false});
      ++i;
    } else {
      return InvalidArgumentError("column " + std::to_string(i + 1) + ": unexpected character '" +
                                  OneLine(text.substr(i, 1)) +
                                  "' (expected a fact, a word, && || ! == != in ( ) [ ] ,)");
    }
  }
  out.push_back({"", text.size() + 1, false});
  return out;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, uint8_t kinds) : t_(std::move(tokens)), kinds_(kinds) {}

  Result<Condition::Node> Whole() {
    VIGIL_ASSIGN_OR_RETURN(Condition::Node n, Or(0));
    if (!Peek().text.empty()) return Expected("&&, || or the end of the condition");
    return n;
  }

 private:
  const Token& Peek() const { return t_[pos_]; }
  Error Expected(std::string_view what) const {
    const Token& t = Peek();
    return InvalidArgumentError("column " + std::to_string(t.column) + ": expected " +
                                std::string(what) + "; found " +
                                (t.text.empty() ? "the end" : "\"" + OneLine(t.text) + "\""));
  }
  bool Accept(std::string_view op) {
    if (Peek().word || Peek().text != op) return false;
    ++pos_;
    return true;
  }

  Result<Condition::Node> Or(int depth) { return Chain(depth, "||", Condition::Op::kOr); }
  Result<Condition::Node> And(int depth) { return Chain(depth, "&&", Condition::Op::kAnd); }

  // a OP b OP c ... as one node with the operands as children.
  Result<Condition::Node> Chain(int depth, std::string_view op, Condition::Op kind) {
    if (depth > kMaxConditionDepth) return Expected("a condition nested less deeply");
    std::vector<Condition::Node> kids;
    do {
      auto kid = kind == Condition::Op::kOr ? And(depth + 1) : Unary(depth + 1);
      if (!kid) return kid.error();
      kids.push_back(std::move(*kid));
    } while (Accept(op));
    if (kids.size() == 1) return std::move(kids.front());
    return Condition::Node{kind, -1, {}, std::move(kids)};
  }

  Result<Condition::Node> Unary(int depth) {
    if (depth > kMaxConditionDepth) return Expected("a condition nested less deeply");
    if (Accept("!")) {
      VIGIL_ASSIGN_OR_RETURN(Condition::Node kid, Unary(depth + 1));
      return Condition::Node{Condition::Op::kNot, -1, {}, {std::move(kid)}};
    }
    if (Accept("(")) {
      VIGIL_ASSIGN_OR_RETURN(Condition::Node inner, Or(depth + 1));
      if (!Accept(")")) return Expected("')'");
      return inner;
    }
    return Test();
  }

  Result<int> FactIndex() {
    const Token& t = Peek();
    if (!t.word) return Expected("a fact name");
    const std::vector<FactInfo>& facts = Facts();
    for (size_t i = 0; i < facts.size(); ++i) {
      if (facts[i].name != t.text) continue;
      if ((facts[i].kinds & kinds_) != kinds_) {
        return InvalidArgumentError("column " + std::to_string(t.column) + ": fact \"" + t.text +
                                    "\" is not a fact of every element kind the rule applies to");
      }
      ++pos_;
      return static_cast<int>(i);
    }
    std::string names;
    for (const FactInfo& f : facts) names += (names.empty() ? "" : ", ") + std::string(f.name);
    return Expected("a fact (one of " + names + ")");
  }

  Result<std::string> Word(const FactInfo& fact) {
    const Token& t = Peek();
    if (!t.word) return Expected("a word");
    if (!fact.words.empty() &&
        std::find(fact.words.begin(), fact.words.end(), t.text) == fact.words.end()) {
      std::string words;
      for (std::string_view w : fact.words) words += (words.empty() ? "" : ", ") + std::string(w);
      return Expected("one of " + words + " (the values of " + std::string(fact.name) + ")");
    }
    ++pos_;
    return t.text;
  }

  Result<Condition::Node> Test() {
    const size_t column = Peek().column;
    VIGIL_ASSIGN_OR_RETURN(int index, FactIndex());
    const FactInfo& fact = Facts()[static_cast<size_t>(index)];
    const bool compared = !Peek().word && (Peek().text == "==" || Peek().text == "!=");
    const bool in = Peek().word && Peek().text == "in";
    if (fact.boolean && (compared || in)) {
      return Expected("&&, || or ) after the boolean fact " + std::string(fact.name));
    }
    if (fact.boolean) return Condition::Node{Condition::Op::kFact, index, {}, {}};
    if (!compared && !in) {
      return InvalidArgumentError("column " + std::to_string(column) + ": fact \"" +
                                  std::string(fact.name) +
                                  "\" is a word: expected == word, != word or in [words] after it");
    }
    if (compared) {
      const Condition::Op op =
          Accept("==") ? Condition::Op::kEquals : (Accept("!="), Condition::Op::kNotEquals);
      VIGIL_ASSIGN_OR_RETURN(std::string w, Word(fact));
      return Condition::Node{op, index, {std::move(w)}, {}};
    }
    ++pos_;  // in
    if (!Accept("[")) return Expected("'['");
    Condition::Node n{Condition::Op::kIn, index, {}, {}};
    do {
      VIGIL_ASSIGN_OR_RETURN(std::string w, Word(fact));
      n.words.push_back(std::move(w));
    } while (Accept(","));
    if (!Accept("]")) return Expected("',' or ']'");
    return n;
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  uint8_t kinds_;
};

void Explain(const Condition::Node& n, const FactValues& facts, std::vector<std::string>* why) {
  if (n.fact >= 0) {
    why->push_back(std::string(Facts()[static_cast<size_t>(n.fact)].name) + " = " +
                   facts[static_cast<size_t>(n.fact)]);
  }
  for (const Condition::Node& k : n.kids) Explain(k, facts, why);
}

bool EvalNode(const Condition::Node& n, const FactValues& facts, std::vector<std::string>* why) {
  const std::string& v = n.fact >= 0 ? facts[static_cast<size_t>(n.fact)] : facts.front();
  switch (n.op) {
    case Condition::Op::kFact:
    case Condition::Op::kEquals:
    case Condition::Op::kNotEquals:
    case Condition::Op::kIn: {
      bool hit = n.op == Condition::Op::kFact ? v == "true"
                 : n.op == Condition::Op::kNotEquals
                     ? v != n.words.front()
                     : std::find(n.words.begin(), n.words.end(), v) != n.words.end();
      if (hit && why) Explain(n, facts, why);
      return hit;
    }
    case Condition::Op::kNot:
      // What made the inner condition false is every fact it read.
      if (EvalNode(n.kids.front(), facts, nullptr)) return false;
      if (why) Explain(n.kids.front(), facts, why);
      return true;
    case Condition::Op::kAnd: {
      std::vector<std::string> all;
      for (const Condition::Node& k : n.kids) {
        if (!EvalNode(k, facts, why ? &all : nullptr)) return false;
      }
      if (why) why->insert(why->end(), all.begin(), all.end());
      return true;
    }
    case Condition::Op::kOr:
      for (const Condition::Node& k : n.kids) {
        if (EvalNode(k, facts, why)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

Result<Condition> Condition::Parse(std::string_view text, uint8_t kinds) {
  if (text.size() > kMaxConditionLength) {
    return InvalidArgumentError("expected a condition of at most " +
                                std::to_string(kMaxConditionLength) + " characters");
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  Parser p(std::move(tokens), kinds);
  VIGIL_ASSIGN_OR_RETURN(Node root, p.Whole());
  return Condition(std::move(root));
}

bool Condition::Eval(const FactValues& facts, std::vector<std::string>* why) const {
  return EvalNode(root_, facts, why);
}

}  // namespace vigil::threat
