#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "serial/serial_port.h"
#include "serial/uucp_lock.h"
#include "test/temp_dir.h"

using namespace hbd::serial;

namespace {

using hbd::testing::TempDir;
using hbd::testing::read_file;


void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// A pseudo-terminal pair: the medium's side is the slave (like a pty
// bind-mounted over /dev/ttyS0), the test holds the master.
struct Pty {
  int master = -1;
  std::string slave;
  Pty() {
    master = ::posix_openpt(O_RDWR | O_NOCTTY);
    ::grantpt(master);
    ::unlockpt(master);
    slave = ::ptsname(master);
  }
  ~Pty() { ::close(master); }
};

// A pid that is surely not running: a child that has exited and been reaped.
pid_t dead_pid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

}  // namespace

TEST_CASE("lock files name the tty and hold a ten-digit pid", "[serial]") {
  CHECK(lock_path("/run/lock", "/dev/ttyS0") == "/run/lock/LCK..ttyS0");
  CHECK(lock_path("/var/lock", "ttyUSB1") == "/var/lock/LCK..ttyUSB1");
  CHECK(format_lock_pid(4321) == "      4321\n");
  CHECK(parse_lock_pid("      4321\n") == 4321);
  CHECK(parse_lock_pid("77") == 77);
  CHECK_FALSE(parse_lock_pid("\n"));
  CHECK_FALSE(parse_lock_pid("abc"));
  CHECK_FALSE(parse_lock_pid("         0\n"));
}

TEST_CASE("a lock is taken, refused while its owner lives, stale ones taken over", "[serial]") {
  TempDir dir;
  const std::string lock = dir.path() + "/LCK..ttyS0";
  std::string error;
  {
    UucpLock ours;
    REQUIRE(ours.acquire(dir.path(), "/dev/ttyS0", error));
    CHECK(read_file(lock) == format_lock_pid(::getpid()));
  }
  CHECK_FALSE(exists(lock));  // released with the object

  put(lock, format_lock_pid(::getppid()));  // a live process of someone else
  UucpLock refused;
  CHECK_FALSE(refused.acquire(dir.path(), "/dev/ttyS0", error));
  CHECK(error.find("locked by process " + std::to_string(::getppid())) != std::string::npos);
  CHECK(read_file(lock) == format_lock_pid(::getppid()));

  put(lock, format_lock_pid(dead_pid()));
  UucpLock taken;
  REQUIRE(taken.acquire(dir.path(), "/dev/ttyS0", error));
  CHECK(read_file(lock) == format_lock_pid(::getpid()));

  put(dir.path() + "/LCK..ttyS1", "garbage");
  UucpLock over_garbage;
  CHECK(over_garbage.acquire(dir.path(), "/dev/ttyS1", error));
}

TEST_CASE("a lock that changed hands is not removed by the old owner", "[serial]") {
  TempDir dir;
  std::string error;
  UucpLock lock;
  REQUIRE(lock.acquire(dir.path(), "ttyS0", error));
  put(lock.path(), format_lock_pid(::getppid()));
  lock.release();
  CHECK(exists(dir.path() + "/LCK..ttyS0"));
}

TEST_CASE("heartbeat's baud rates map to termios speeds", "[serial]") {
  CHECK(speed_for_baud(19200) == B19200);
  CHECK(speed_for_baud(115200) == B115200);
  CHECK(speed_for_baud(460800) == B460800);
  CHECK_FALSE(speed_for_baud(12345));
  CHECK_FALSE(speed_for_baud(0));
}

TEST_CASE("a pty opens with heartbeat's line settings and the lock", "[serial]") {
  TempDir dir;
  Pty pty;
  TtyOpener opener;
  std::string error;
  auto port = opener.open({pty.slave, 115200, dir.path()}, error);
  INFO(error);
  REQUIRE(port);
  termios t{};
  REQUIRE(::tcgetattr(port->fd(), &t) == 0);
  CHECK((t.c_cflag & CSIZE) == CS8);
  CHECK((t.c_cflag & (PARENB | CSTOPB)) == 0);
  CHECK((t.c_cflag & (CREAD | CLOCAL | CRTSCTS)) == (CREAD | CLOCAL | CRTSCTS));
  CHECK(t.c_iflag == (INPCK | ISTRIP | IGNCR | BRKINT));
  CHECK(t.c_lflag == 0);
  CHECK(t.c_oflag == 0);
  CHECK(t.c_cc[VMIN] == 1);
  CHECK(t.c_cc[VTIME] == 1);
  CHECK(::cfgetospeed(&t) == B115200);
  CHECK((::fcntl(port->fd(), F_GETFL) & O_NONBLOCK) != 0);
  const std::string lock = lock_path(dir.path(), pty.slave);
  CHECK(read_file(lock) == format_lock_pid(::getpid()));

  // The line carries bytes both ways; CR is dropped on input (IGNCR).
  REQUIRE(::write(pty.master, "a\r\nb\n", 5) == 5);
  // Await the bytes (5 s bound for a loaded machine), not a fixed number of naps.
  std::string got;
  pollfd readable{port->fd(), POLLIN, 0};
  while (got.size() < 4 && ::poll(&readable, 1, 5000) == 1) {
    char buf[16];
    ssize_t n = ::read(port->fd(), buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, size_t(n));
  }
  CHECK(got == "a\nb\n");
  port.reset();
  CHECK_FALSE(exists(lock));
}

TEST_CASE("opening fails with a clear reason and leaves no lock", "[serial]") {
  TempDir dir;
  TtyOpener opener;
  std::string error;
  CHECK_FALSE(opener.open({dir.path() + "/ttyNONE", 19200, dir.path()}, error));
  CHECK(error.find("No such file or directory") != std::string::npos);
  CHECK(error.find("ttyNONE") != std::string::npos);
  CHECK_FALSE(exists(dir.path() + "/LCK..ttyNONE"));

  put(dir.path() + "/plain", "");
  CHECK_FALSE(opener.open({dir.path() + "/plain", 19200, dir.path()}, error));
  CHECK(error.find("is not a tty") != std::string::npos);

  Pty pty;
  CHECK_FALSE(opener.open({pty.slave, 12345, dir.path()}, error));
  CHECK(error == "unsupported baud rate 12345");
}

// A UART whose CTS is held low makes close() wait for the queued output
// (closing_wait, 30 s by default). A pty has no CTS, but what the port does
// on closing shows on a duplicate of its descriptor: the queues are flushed
// (TCIOFLUSH: the unread input is gone too) and the line is non-blocking.
TEST_CASE("closing a line throws its queued bytes away instead of draining them", "[serial]") {
  TempDir dir;
  Pty pty;
  TtyOpener opener;
  std::string error;
  auto port = opener.open({pty.slave, 115200, dir.path()}, error);
  REQUIRE(port);
  int watcher = ::dup(port->fd());
  REQUIRE(watcher >= 0);
  REQUIRE(::write(pty.master, "unread\n", 7) == 7);
  pollfd readable{watcher, POLLIN, 0};
  REQUIRE(::poll(&readable, 1, 5000) == 1);
  // Blocking again, as a line another program set up could be.
  ::fcntl(watcher, F_SETFL, ::fcntl(watcher, F_GETFL) & ~O_NONBLOCK);
  port.reset();
  CHECK((::fcntl(watcher, F_GETFL) & O_NONBLOCK) != 0);
  char buf[16];
  errno = 0;
  CHECK(::read(watcher, buf, sizeof buf) == -1);
  CHECK(errno == EAGAIN);
  ::close(watcher);
}
