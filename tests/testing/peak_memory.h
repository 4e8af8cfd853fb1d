// PeakMemoryGrowthOfChild: how much memory a piece of code needed at its peak, measured in a
// forked child so the test process's own history does not hide it. Used by the tests that show
// a reader refuses an oversized input or an alias bomb "within a stated memory bound".
//
// The child records its peak resident set (getrusage ru_maxrss) right after fork and again after
// running `fn`; the difference is the growth `fn` caused. Pages shared with the parent count as
// resident in the child from the start, so they do not inflate the figure. Under ASan the
// figure includes shadow memory (about an eighth more), which the bounds in tests allow for.
#ifndef VIGIL_TESTS_TESTING_PEAK_MEMORY_H_
#define VIGIL_TESTS_TESTING_PEAK_MEMORY_H_

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>

namespace vigil::testing {

struct ChildMemory {
  int64_t growth_kib = 0;  // peak RSS growth while `fn` ran
  bool fn_returned_true = false;
};

// Runs `fn` in a forked child; nullopt if the child crashed or could not be started (the test
// should fail then). `fn` returns whether its own expectations held (e.g. "the read was refused").
inline std::optional<ChildMemory> PeakMemoryGrowthOfChild(const std::function<bool()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  pid_t pid = fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    close(fds[0]);
    rusage before{}, after{};
    getrusage(RUSAGE_SELF, &before);
    int64_t out[2] = {0, fn() ? 1 : 0};
    getrusage(RUSAGE_SELF, &after);
    out[0] = after.ru_maxrss - before.ru_maxrss;
    ssize_t w = write(fds[1], out, sizeof out);
    _exit(w == static_cast<ssize_t>(sizeof out) ? 0 : 1);
  }
  close(fds[1]);
  int64_t in[2] = {0, 0};
  ssize_t r = read(fds[0], in, sizeof in);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (r != static_cast<ssize_t>(sizeof in) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return std::nullopt;
  }
  return ChildMemory{in[0], in[1] != 0};
}

}  // namespace vigil::testing

#endif  // VIGIL_TESTS_TESTING_PEAK_MEMORY_H_
