// Maven's ComparableVersion ordering (the algorithm of maven-artifact 3.x): the version splits
// into a tree of numbers, qualifiers and sub-lists at '.', '-' and digit/letter transitions;
// trailing "null" items (0, "", "ga", "final", "release") are dropped from each list.
#include <memory>
#include <string>
#include <vector>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

struct Item {
  enum Kind { kInt, kString, kList } kind;
  std::string value;  // kInt: digits without leading zeros; kString: the qualifier after aliases
  std::vector<std::unique_ptr<Item>> list;
  bool IsNull() const {
    return kind == kInt ? value == "0" : kind == kString ? value.empty() : list.empty();
  }
};

constexpr std::string_view kQualifiers[] = {"alpha",    "beta", "milestone", "rc",
                                            "snapshot", "",     "sp"};

// The comparable form of a qualifier: its index among kQualifiers, or "7-<qualifier>" after them.
std::string Comparable(const std::string& q) {
  for (size_t i = 0; i < std::size(kQualifiers); ++i) {
    if (q == kQualifiers[i]) return std::to_string(i);
  }
  return std::to_string(std::size(kQualifiers)) + "-" + q;
}

std::unique_ptr<Item> MakeString(std::string v, bool followed_by_digit) {
  if (followed_by_digit && v.size() == 1) {
    if (v == "a")
      v = "alpha";
    else if (v == "b")
      v = "beta";
    else if (v == "m")
      v = "milestone";
  }
  if (v == "ga" || v == "final" || v == "release")
    v.clear();
  else if (v == "cr")
    v = "rc";
  return std::make_unique<Item>(Item{Item::kString, std::move(v), {}});
}

std::unique_ptr<Item> MakeItem(bool is_digit, std::string_view buf) {
  if (!is_digit) return MakeString(std::string(buf), false);
  while (buf.size() > 1 && buf[0] == '0') buf.remove_prefix(1);
  return std::make_unique<Item>(Item{Item::kInt, std::string(buf), {}});
}

void Normalise(Item& list) {
  for (size_t i = list.list.size(); i-- > 0;) {
    if (list.list[i]->IsNull()) {
      list.list.erase(list.list.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (list.list[i]->kind != Item::kList) {
      break;
    }
  }
}

std::unique_ptr<Item> ParseTree(std::string_view text) {
  std::string v;
  for (char c : text) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto root = std::make_unique<Item>(Item{Item::kList, "", {}});
  Item* list = root.get();
  std::vector<Item*> stack = {list};
  auto push_list = [&] {
    list->list.push_back(std::make_unique<Item>(Item{Item::kList, "", {}}));
    list = list->list.back().get();
    stack.push_back(list);
  };
  bool is_digit = false;
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '.' || c == '-') {
      if (i == start) {
        list->list.push_back(std::make_unique<Item>(Item{Item::kInt, "0", {}}));
      } else {
        list->list.push_back(MakeItem(is_digit, std::string_view(v).substr(start, i - start)));
      }
      start = i + 1;
      if (c == '-') push_list();
    } else if (IsDigit(c)) {
      if (!is_digit && i > start) {
        list->list.push_back(MakeString(v.substr(start, i - start), true));
        start = i;
        push_list();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        list->list.push_back(MakeItem(true, std::string_view(v).substr(start, i - start)));
        start = i;
        push_list();
      }
      is_digit = false;
    }
  }
  if (v.size() > start) list->list.push_back(MakeItem(is_digit, std::string_view(v).substr(start)));
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) Normalise(**it);
  return root;
}

int CompareItems(const Item* a, const Item* b);

// `a` against an absent item (the shorter list ran out).
int CompareToNull(const Item* a) {
  switch (a->kind) {
    case Item::kInt:
      return a->value == "0" ? 0 : 1;
    case Item::kString:
      return Sign(Comparable(a->value).compare(Comparable("")));
    case Item::kList:
      return a->list.empty() ? 0 : CompareToNull(a->list[0].get());
  }
  return 0;
}

int CompareItems(const Item* a, const Item* b) {
  if (b == nullptr) return CompareToNull(a);
  if (a == nullptr) return -CompareToNull(b);
  if (a->kind == Item::kInt) {
    return b->kind == Item::kInt ? CompareDigitRuns(a->value, b->value) : 1;
  }
  if (a->kind == Item::kString) {
    if (b->kind == Item::kString) return Sign(Comparable(a->value).compare(Comparable(b->value)));
    return -1;
  }
  if (b->kind == Item::kInt) return -1;
  if (b->kind == Item::kString) return 1;
  size_t n = std::max(a->list.size(), b->list.size());
  for (size_t i = 0; i < n; ++i) {
    const Item* x = i < a->list.size() ? a->list[i].get() : nullptr;
    const Item* y = i < b->list.size() ? b->list[i].get() : nullptr;
    if (int c = CompareItems(x, y)) return c;
  }
  return 0;
}

}  // namespace

Status ValidateMaven(std::string_view v) {
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      return InvalidArgumentError("control or space character");
    }
  }
  return OkStatus();
}

int CompareMaven(std::string_view a, std::string_view b) {
  auto ta = ParseTree(a);
  auto tb = ParseTree(b);
  return CompareItems(ta.get(), tb.get());
}

}  // namespace vigil::vuln::internal
