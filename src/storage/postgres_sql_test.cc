#include "internal/postgres_sql.h"

#include <gtest/gtest.h>

namespace vigil::storage::postgres {
namespace {

std::string Rewrite(std::string_view sql) { return RewritePlaceholders(sql).sql; }

TEST(RewritePlaceholdersTest, NumbersEachQuestionMarkInOrder) {
  RewrittenSql r = RewritePlaceholders("INSERT INTO t(a, b, c) VALUES (?, ?,?)");
  EXPECT_EQ(r.sql, "INSERT INTO t(a, b, c) VALUES ($1, $2,$3)");
  EXPECT_EQ(r.parameters, 3);
  EXPECT_EQ(RewritePlaceholders("SELECT 1").parameters, 0);
}

TEST(RewritePlaceholdersTest, NumberedParametersKeepTheirNumberAsInSqlite) {
  RewrittenSql r = RewritePlaceholders("WHERE (?1='' OR p=?1) AND v=?2 AND w=?");
  EXPECT_EQ(r.sql, "WHERE ($1='' OR p=$1) AND v=$2 AND w=$3");
  EXPECT_EQ(r.parameters, 3);
  EXPECT_EQ(RewritePlaceholders("SELECT ?5").parameters, 5);
}

TEST(RewritePlaceholdersTest, DoubledQuestionMarkIsALiteralOperator) {
  EXPECT_EQ(Rewrite("SELECT doc ?? 'key' FROM t WHERE id = ?"),
            "SELECT doc ? 'key' FROM t WHERE id = $1");
  EXPECT_EQ(Rewrite("SELECT doc ??| ?"), "SELECT doc ?| $1");
}

TEST(RewritePlaceholdersTest, QuotedTextIsLeftAlone) {
  EXPECT_EQ(Rewrite("SELECT 'a?b', ? FROM t"), "SELECT 'a?b', $1 FROM t");
  EXPECT_EQ(Rewrite("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(Rewrite("SELECT \"odd?col\" FROM t WHERE x=?"), "SELECT \"odd?col\" FROM t WHERE x=$1");
  EXPECT_EQ(Rewrite("SELECT \"a\"\"?\" , ?"), "SELECT \"a\"\"?\" , $1");
}

TEST(RewritePlaceholdersTest, EscapeStringsHonourBackslashes) {
  EXPECT_EQ(Rewrite("SELECT E'\\'?', ?"), "SELECT E'\\'?', $1");
  // In a standard string a backslash is an ordinary character: the quote ends it.
  EXPECT_EQ(Rewrite("SELECT '\\', ?"), "SELECT '\\', $1");
  // "e" ending an identifier does not start an escape string.
  EXPECT_EQ(Rewrite("SELECT name'\\', ?"), "SELECT name'\\', $1");
}

TEST(RewritePlaceholdersTest, DollarQuotedStringsAreLeftAlone) {
  EXPECT_EQ(Rewrite("SELECT $$a?b$$, ?"), "SELECT $$a?b$$, $1");
  EXPECT_EQ(Rewrite("SELECT $fn$ ? $x$ ? $fn$, ?"), "SELECT $fn$ ? $x$ ? $fn$, $1");
  // "$1" is a parameter, not a tag, and "a$b" an identifier.
  EXPECT_EQ(Rewrite("SELECT $1, a$b, ?"), "SELECT $1, a$b, $1");
}

TEST(RewritePlaceholdersTest, CommentsAreLeftAlone) {
  EXPECT_EQ(Rewrite("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(Rewrite("SELECT /* a? /* nested? */ still? */ ?"),
            "SELECT /* a? /* nested? */ still? */ $1");
  EXPECT_EQ(Rewrite("SELECT 5 - -1, ?"), "SELECT 5 - -1, $1");
  EXPECT_EQ(Rewrite("SELECT 4 / 2, ?"), "SELECT 4 / 2, $1");
}

TEST(RewritePlaceholdersTest, UnterminatedTextIsCopiedForTheServerToRefuse) {
  EXPECT_EQ(Rewrite("SELECT 'open ?"), "SELECT 'open ?");
  EXPECT_EQ(Rewrite("SELECT /* open ?"), "SELECT /* open ?");
  EXPECT_EQ(Rewrite("SELECT $t$ open ?"), "SELECT $t$ open ?");
  EXPECT_EQ(Rewrite("SELECT ?"), "SELECT $1");
  EXPECT_EQ(Rewrite("?"), "$1");
  EXPECT_EQ(Rewrite(""), "");
}

TEST(RewritePlaceholdersTest, AnOverlongNumberIsPassedOn) {
  RewrittenSql r = RewritePlaceholders("SELECT ?99999999999999999999, ?65536");
  EXPECT_EQ(r.sql, "SELECT $99999999999999999999, $65536");
  EXPECT_EQ(r.parameters, 0);
  EXPECT_EQ(RewritePlaceholders("SELECT ?65535, ?").sql, "SELECT $65535, $65536");
}

TEST(CodeForSqlstateTest, SaysWhatTheCallerCanDo) {
  for (const char* retry : {"08006", "08001", "57P01", "57P02", "57P03", "40001", "40P01", "55P03",
                            "40003", "53200", "53300"}) {
    EXPECT_EQ(CodeForSqlstate(retry), ErrorCode::kUnavailable) << retry;
  }
  EXPECT_EQ(CodeForSqlstate("53100"), ErrorCode::kResourceExhausted);
  EXPECT_EQ(CodeForSqlstate("XX001"), ErrorCode::kDataLoss);
  EXPECT_EQ(CodeForSqlstate("XX002"), ErrorCode::kDataLoss);
  for (const char* bug : {"42601", "42P01", "42703", "23505", "25P02", "XX000", "22P02"}) {
    EXPECT_EQ(CodeForSqlstate(bug), ErrorCode::kInternal) << bug;
  }
  EXPECT_TRUE(IsConnectionLoss("08003"));
  EXPECT_FALSE(IsConnectionLoss("40001"));
}

TEST(OneLineTest, JoinsLinesAndCuts) {
  EXPECT_EQ(OneLine("SELECT\n  x\tFROM t\n", 100), "SELECT   x FROM t");
  EXPECT_EQ(OneLine("abcdef", 3), "abc…");
  // Never cuts inside a UTF-8 character.
  EXPECT_EQ(OneLine("ab\xc3\xa9z", 3), "ab…");
}

}  // namespace
}  // namespace vigil::storage::postgres
