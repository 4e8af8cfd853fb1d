// ScopedSparseFile: a large file of zeros that costs no disk and no time to make (ftruncate), in
// a directory of its own under the test's temporary directory, removed when the object goes. For
// tests that show a reader refuses an oversized input without reading it.
#ifndef VIGIL_TESTS_TESTING_SPARSE_FILE_H_
#define VIGIL_TESTS_TESTING_SPARSE_FILE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace vigil::testing {

class ScopedSparseFile {
 public:
  // `name` is the file's name (its extension may matter to the reader); `size` its length.
  ScopedSparseFile(const std::string& name, uint64_t size)
      : dir_(::testing::TempDir() + "sparse_" + std::to_string(getpid()) + "_" +
             std::to_string(next_id_++)),
        path_(dir_ + "/" + name) {
    std::filesystem::create_directories(dir_);
    FILE* f = std::fopen(path_.c_str(), "w");
    EXPECT_NE(f, nullptr) << path_;
    if (f == nullptr) return;
    EXPECT_EQ(ftruncate(fileno(f), static_cast<off_t>(size)), 0) << path_;
    std::fclose(f);
  }
  ~ScopedSparseFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ScopedSparseFile(const ScopedSparseFile&) = delete;
  ScopedSparseFile& operator=(const ScopedSparseFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  static inline int next_id_ = 0;
  std::string dir_;
  std::string path_;
};

}  // namespace vigil::testing

#endif  // VIGIL_TESTS_TESTING_SPARSE_FILE_H_
