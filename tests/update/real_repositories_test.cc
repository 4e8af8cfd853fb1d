// The two real repositories of tuf-conformance's static data (sigstore's root-signing repository
// and one made by tuf-on-ci 0.11) must initialise, refresh and download with our client at the
// times their faketime files give, from their initial_root.json and targetpath — over plain files
// and over a loopback HTTP server.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "vigil/core/env.h"
#include "vigil/crypto/hash.h"
#include "vigil/update/updater.h"

namespace vigil::update {
namespace {

namespace fs = std::filesystem;
const std::string kStatic = std::string(VIGIL_DATA_DIR) + "/update/tuf-static/";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// "2025-02-09 12:02:08+00:00" → Unix seconds.
int64_t FakeTime(const std::string& repo) {
  std::string t = ReadText(kStatic + repo + "/faketime");
  auto v = ParseTufTime(t.substr(0, 10) + "T" + t.substr(11, 8) + "Z");
  EXPECT_TRUE(v.has_value()) << t;
  return v.value_or(0);
}

class RealRepository : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_tuf_real_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // init + refresh + download of the repository's targetpath from `base` (file path or URL).
  void RunClient(const std::string& base) {
    const std::string repo = GetParam();
    Env* env = Env::Default();
    auto root = env->ReadFile(kStatic + repo + "/initial_root.json");
    ASSERT_TRUE(root.has_value());
    ASSERT_TRUE(Updater::Initialize(env, dir_ / "metadata", *root).has_value());
    UpdaterOptions options;
    options.metadata_dir = dir_ / "metadata";
    options.metadata_base_url = base + "/metadata";
    options.targets_base_url = base + "/targets";
    options.reference_time = FakeTime(repo);
    auto fetcher = NewDefaultFetcher(env);
    auto updater = Updater::Create(options, env, fetcher.get());
    ASSERT_TRUE(updater.has_value()) << updater.error().message();
    Status refreshed = (*updater)->Refresh();
    ASSERT_TRUE(refreshed.has_value()) << refreshed.error().message();
    for (const char* f : {"root.json", "timestamp.json", "snapshot.json", "targets.json"}) {
      EXPECT_TRUE(fs::exists(dir_ / "metadata" / f)) << f;
    }
    std::string target = ReadText(kStatic + repo + "/targetpath");
    auto info = (*updater)->GetTargetInfo(target);
    ASSERT_TRUE(info.has_value()) << info.error().message();
    auto local = (*updater)->DownloadTarget(target, *info, dir_ / "targets");
    ASSERT_TRUE(local.has_value()) << local.error().message();
    auto bytes = env->ReadFile(*local);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(bytes->size(), info->length);
    EXPECT_TRUE(CheckLengthAndHashes(*bytes, info->length, info->hashes, target).has_value());

    // A second, fresh client over the persisted metadata refreshes again (nothing new).
    auto again = Updater::Create(options, env, fetcher.get());
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE((*again)->Refresh().has_value());
    // One day after the timestamp expired, the same repository is a freeze: refused.
    options.reference_time += 400LL * 86400 * 30;
    auto late = Updater::Create(options, env, fetcher.get());
    ASSERT_TRUE(late.has_value());
    Status frozen = (*late)->Refresh();
    ASSERT_FALSE(frozen.has_value());
    EXPECT_NE(frozen.error().message().find("expired"), std::string::npos)
        << frozen.error().message();
  }

  fs::path dir_;
  static inline int counter_ = 0;
};

TEST_P(RealRepository, InitRefreshDownloadFromFiles) {
  RunClient("file://" + kStatic + GetParam());
}

TEST_P(RealRepository, InitRefreshDownloadOverLoopbackHttp) {
  httplib::Server server;
  ASSERT_TRUE(server.set_mount_point("/", kStatic + GetParam()));
  int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  RunClient("http://127.0.0.1:" + std::to_string(port));
  server.stop();
  thread.join();
}

INSTANTIATE_TEST_SUITE_P(TufStatic, RealRepository,
                         ::testing::Values("sigstore-root-signing", "tuf-on-ci-0.11"),
                         [](const auto& p) {
                           std::string n = p.param;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace vigil::update
