// gzip feeds: what Python's gzip module compresses, Gunzip restores exactly; NVD, EPSS and KEV
// documents compressed as their publishers ship them import like the plain files; damaged
// archives are refused naming the file.
#include "internal/gzip.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "vigil/core/env.h"
#include "vigil/vuln/feed_import.h"
#include "testing/vuln_fixture.h"

namespace vigil::vuln {
namespace {

using ::testing::HasSubstr;

const std::string kKev =
    std::string(VIGIL_DATA_DIR) + "/vuln/kev/known_exploited_vulnerabilities.json";

// `python3 -c gzip.compress` of the file at `in`, written to `out` (an independent compressor;
// `members` > 1 writes the data split over that many concatenated members).
void PythonGzip(const std::string& in, const std::string& out, int members = 1) {
  std::string cmd =
      "/usr/bin/python3 -c 'import gzip,sys\n"
      "d=open(sys.argv[1],\"rb\").read(); n=int(sys.argv[3]); k=len(d)//n\n"
      "parts=[d[i*k:(i+1)*k if i<n-1 else len(d)] for i in range(n)]\n"
      "open(sys.argv[2],\"wb\").write(b\"\".join(gzip.compress(p) for p in parts))' " +
      in + " " + out + " " + std::to_string(members);
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

std::string Read(const std::string& path) {
  auto data = Env::Default()->ReadFile(path);
  EXPECT_TRUE(data) << path;
  return data ? std::string(AsStringView(*data)) : "";
}

TEST(Gunzip, RestoresWhatPythonCompressed) {
  testing::TempDir dir;
  std::mt19937 rng(3);
  std::string text;
  for (int i = 0; i < 200000; ++i) text.push_back(static_cast<char>('a' + rng() % 7));
  std::ofstream(dir.File("plain")) << text;
  for (int members : {1, 3}) {
    PythonGzip(dir.File("plain"), dir.File("plain.gz"), members);
    auto out = internal::Gunzip(Read(dir.File("plain.gz")), "plain.gz", 1 << 20);
    ASSERT_TRUE(out) << out.error().message();
    EXPECT_EQ(*out, text) << members << " members";
  }
}

TEST(Gunzip, DamagedDataIsRefusedNamingTheFile) {
  testing::TempDir dir;
  std::ofstream(dir.File("plain")) << std::string(100000, 'x') << "tail";
  PythonGzip(dir.File("plain"), dir.File("plain.gz"));
  const std::string gz = Read(dir.File("plain.gz"));
  auto message = [](const std::string& data, size_t limit = 1 << 20) {
    auto r = internal::Gunzip(data, "feed.csv.gz", limit);
    EXPECT_FALSE(r);
    if (r) return std::string();
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    return r.error().message();
  };
  EXPECT_EQ(message("cve,epss\n"), "feed.csv.gz: not gzip data (expected the bytes 1f 8b)");
  EXPECT_THAT(message(gz.substr(0, gz.size() / 2)), HasSubstr("feed.csv.gz: truncated gzip data"));
  std::string crc = gz;
  crc[crc.size() - 6] ^= 0x55;  // the CRC-32 in the trailer
  EXPECT_THAT(message(crc), HasSubstr("feed.csv.gz: corrupt gzip data at byte"));
  EXPECT_THAT(message(gz + "junk"),
              HasSubstr("feed.csv.gz: 4 bytes after the gzip data are not another gzip member"));
  EXPECT_THAT(message(gz, 4096), HasSubstr("decompresses to more than 4096 bytes"));
}

TEST(GzipFeeds, ImportLikeThePlainFiles) {
  testing::TempDir dir;
  std::ofstream(dir.File("epss_scores-2025-08-25.csv"))
      << "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z\n"
         "cve,epss,percentile\nCVE-2021-44228,0.94358,0.99961\nCVE-2025-0001,0.00043,0.1\n";
  PythonGzip(dir.File("epss_scores-2025-08-25.csv"), dir.File("epss_scores-2025-08-25.csv.gz"));
  PythonGzip(kKev, dir.File("kev.json.gz"));
  std::remove(dir.File("epss_scores-2025-08-25.csv").c_str());

  auto db = AdvisoryDb::Open(*vigil::Env::Default(), dir.File("db.sqlite"));
  ASSERT_TRUE(db);
  // Given by name, and found in a directory walk.
  auto report = ImportFeeds(*Env::Default(), *db, {dir.File("kev.json.gz")});
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(report->kev.added, 1404u);
  auto walked = ImportFeeds(*Env::Default(), *db, {dir.path()});
  ASSERT_TRUE(walked) << walked.error().message();
  EXPECT_EQ(walked->epss.added, 2u);
  EXPECT_EQ(walked->kev.unchanged, 1404u);
  auto epss = db->Epss("CVE-2021-44228");
  ASSERT_TRUE(epss && *epss);
  EXPECT_DOUBLE_EQ((*epss)->score, 0.94358);

  std::ofstream(dir.File("broken.json.gz")) << "\x1f\x8b not really";
  auto broken = ImportFeeds(*Env::Default(), *db, {dir.File("broken.json.gz")});
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message(), HasSubstr("broken.json.gz: "));
}

}  // namespace
}  // namespace vigil::vuln
