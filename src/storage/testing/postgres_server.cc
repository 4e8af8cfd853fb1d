#include "vigil/storage/postgres_server.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "vigil/storage/database.h"

namespace vigil::storage::testing {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBin = VIGIL_POSTGRES_BIN;

std::string Program(std::string_view name) { return std::string(kBin) + "/" + std::string(name); }

// initdb and the server refuse to run as root: as root, programs run as `postgres` through
// setpriv, which also sets the parent-death signal after changing user (a change of user
// clears the one set before exec).
std::vector<std::string> AsServerUser(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  std::vector<std::string> out = {"/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres",
                                  "--init-groups",    "--pdeathsig=TERM", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::string LogTail(const std::string& folder) {
  std::ifstream in(folder + "/log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > 5 ? lines.size() - 5 : 0; i < lines.size(); ++i) {
    out += (out.empty() ? "" : " | ") + lines[i];
  }
  return out.empty() ? "(empty log)" : out;
}

// Starts `argv` with stdout and stderr appended to <folder>/log; the child gets SIGTERM if the
// test process dies.
Result<pid_t> Spawn(const std::string& folder, const std::vector<std::string>& argv) {
  int log = ::open((folder + "/log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return UnavailableError(folder + "/log: " + std::strerror(errno));
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log);
  if (pid < 0) return UnavailableError(std::string("fork: ") + std::strerror(errno));
  return pid;
}

Status Run(const std::string& folder, const std::vector<std::string>& argv) {
  VIGIL_ASSIGN_OR_RETURN(pid_t pid, Spawn(folder, argv));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return OkStatus();
  std::string name = argv[0];
  for (const auto& a : argv) {
    if (a.starts_with(kBin)) {
      name = fs::path(a).filename();
      break;
    }
  }
  return UnavailableError("postgres test server: " + name + " failed (status " +
                          std::to_string(status) + "): " + LogTail(folder));
}

// The children of `parent`, from /proc.
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid …; comm may hold spaces, so read after the last ')'.
    size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(static_cast<pid_t>(std::stol(entry.path().filename())));
  }
  return out;
}

Status GiveToServerUser(const std::string& folder) {
  if (::geteuid() != 0) return OkStatus();
  struct passwd* pw = ::getpwnam("postgres");
  if (pw == nullptr) {
    return FailedPreconditionError(
        "postgres test server: running as root, and there is no `postgres` user to run the "
        "server as (Debian's postgresql-15 package creates it)");
  }
  if (::chown(folder.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    return UnavailableError(folder + ": chown: " + std::strerror(errno));
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<PostgresServer>> PostgresServer::Start(Durability durability) {
  for (std::string_view p : {"initdb", "postgres", "pg_ctl"}) {
    if (::access(Program(p).c_str(), X_OK) != 0) {
      return FailedPreconditionError("postgres test server: " + Program(p) +
                                     " is missing (install postgresql-15, or configure "
                                     "VIGIL_POSTGRES_BIN)");
    }
  }
  std::string tmpl = "/tmp/vigil-pg-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return UnavailableError(std::string("postgres test server: mkdtemp: ") + std::strerror(errno));
  }
  std::unique_ptr<PostgresServer> server(new PostgresServer(tmpl, durability));
  VIGIL_RETURN_IF_ERROR(GiveToServerUser(tmpl));
  VIGIL_RETURN_IF_ERROR(server->InitDb());
  VIGIL_RETURN_IF_ERROR(server->Launch());
  return server;
}

Result<PostgresServer*> PostgresServer::Shared() {
  // Destroyed at exit, which stops the server and removes its folder.
  static Result<std::unique_ptr<PostgresServer>> shared = Start();
  if (!shared) return shared.error();
  return shared->get();
}

PostgresServer::~PostgresServer() {
  if (postmaster_ > 0) (void)Stop();
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
}

// No fsync during initdb either; trust authentication is safe because the only way in is the
// socket in a folder only the server's user and root can enter.
Status PostgresServer::InitDb() {
  return Run(folder_,
             AsServerUser({Program("initdb"), "-D", folder_ + "/data", "-U", "postgres", "-A",
                           "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"}));
}

Status PostgresServer::Launch() {
  std::vector<std::string> args = {Program("postgres"), "-D", folder_ + "/data", "-k", folder_,
                                   "-c", "listen_addresses=", "-c", "max_connections=40",
                                   "-c", "shared_buffers=16MB"};
  if (durability_ == Durability::kFast) {
    args.insert(args.end(), {"-c", "fsync=off", "-c", "full_page_writes=off"});
  }
  VIGIL_ASSIGN_OR_RETURN(postmaster_, Spawn(folder_, AsServerUser(std::move(args))));
  return WaitReady();
}

// The postmaster writes "ready" as the 8th line of postmaster.pid once it accepts connections
// (what pg_ctl start -w waits for); the file's first line is its pid, which tells this server's
// file from the one a killed server left behind.
Status PostgresServer::WaitReady() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(postmaster_, &status, WNOHANG) == postmaster_) {
      postmaster_ = -1;
      return UnavailableError("postgres test server: the server exited at start: " +
                              LogTail(folder_));
    }
    std::ifstream pid_file(folder_ + "/data/postmaster.pid");
    std::string pid;
    std::string line;
    std::getline(pid_file, pid);
    for (int i = 1; i < 8 && std::getline(pid_file, line); ++i) {
    }
    if (pid == std::to_string(postmaster_) && line.starts_with("ready")) return OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return UnavailableError("postgres test server: not ready after 60 s: " + LogTail(folder_));
}

Status PostgresServer::Stop() {
  Status stopped = Run(folder_, AsServerUser({Program("pg_ctl"), "stop", "-D", folder_ + "/data",
                                              "-m", "fast", "-w", "-s"}));
  if (!stopped) ::kill(postmaster_, SIGKILL);
  while (::waitpid(postmaster_, nullptr, 0) < 0 && errno == EINTR) {
  }
  postmaster_ = -1;
  return stopped;
}

Status PostgresServer::Kill() {
  if (postmaster_ <= 0) return FailedPreconditionError("postgres test server: not running");
  // Stopped first, so that it starts no new process while its children are listed.
  ::kill(postmaster_, SIGSTOP);
  std::vector<pid_t> children = ChildrenOf(postmaster_);
  ::kill(postmaster_, SIGKILL);
  for (pid_t child : children) ::kill(child, SIGKILL);
  while (::waitpid(postmaster_, nullptr, 0) < 0 && errno == EINTR) {
  }
  postmaster_ = -1;
  // The children are no longer ours to reap; wait until they are gone or zombies (which hold
  // no shared memory that would stop the next start).
  for (pid_t child : children) {
    for (int i = 0; i < 500; ++i) {
      std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
      std::string line;
      if (!std::getline(stat, line)) break;
      size_t close = line.rfind(')');
      if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return OkStatus();
}

Status PostgresServer::Restart() {
  if (postmaster_ > 0) return FailedPreconditionError("postgres test server: already running");
  return Launch();
}

std::string PostgresServer::Url(std::string_view database) const {
  return "postgresql:///" + std::string(database) + "?host=" + folder_ + "&user=postgres";
}

Result<std::string> PostgresServer::CreateDatabase() {
  PostgresOptions admin;
  admin.url = Url("postgres");
  VIGIL_ASSIGN_OR_RETURN(Database db, Database::OpenPostgres(admin));
  std::string name = "db" + std::to_string(++databases_);
  VIGIL_RETURN_IF_ERROR(db.Exec("CREATE DATABASE " + name));
  return Url(name);
}

}  // namespace vigil::storage::testing
