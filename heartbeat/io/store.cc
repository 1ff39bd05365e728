#include "io/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hbd::io {

namespace {

std::string errno_text(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

bool write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Creates `tmp` afresh. O_EXCL|O_NOFOLLOW: a symlink planted there (even a
// dangling one) is never written through. A regular file is what a crash
// between create and rename leaves: it is removed and creation retried once.
int create_new_file(const std::string& tmp, std::string& error) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) return fd;
    if (errno != EEXIST) break;
    struct stat st;
    if (::lstat(tmp.c_str(), &st) != 0) continue;  // went away meanwhile
    if (!S_ISREG(st.st_mode)) {
      error = tmp + " exists and is not a regular file (a symlink?): refusing to write through it";
      return -1;
    }
    if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) {
      error = errno_text("cannot remove stale", tmp);
      return -1;
    }
  }
  error = errno_text("cannot create", tmp);
  return -1;
}

// After a rename the new name lives only in the directory's cache until
// the directory itself is synced: a power cut could bring the old file back.
bool sync_directory(const std::string& dir, std::string& error) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool ok = fd >= 0 && ::fsync(fd) == 0;
  if (!ok) error = errno_text("cannot sync directory", dir);
  if (fd >= 0) ::close(fd);
  return ok;
}

}  // namespace

std::optional<std::string> FileStore::read(const std::string& name, std::string& error) {
  std::string path = dir_ + "/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) error = errno_text("cannot open", path);
    return std::nullopt;
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno_text("cannot read", path);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

bool FileStore::write(const std::string& name, const std::string& bytes, std::string& error) {
  std::string path = dir_ + "/" + name;
  std::string tmp = path + ".new";
  int fd = create_new_file(tmp, error);
  if (fd < 0) return false;
  bool ok = write_all(fd, bytes) && ::fsync(fd) == 0;
  if (!ok) error = errno_text("cannot write", tmp);
  ::close(fd);
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errno_text("cannot rename to", path);
    ok = false;
  }
  if (!ok) ::unlink(tmp.c_str());
  return ok && sync_directory(dir_, error);
}

std::optional<std::string> MemoryStore::read(const std::string& name, std::string&) {
  auto it = files.find(name);
  if (it == files.end()) return std::nullopt;
  return it->second;
}

bool MemoryStore::write(const std::string& name, const std::string& bytes, std::string& error) {
  if (fail_writes) {
    error = "cannot write " + name + ": Read-only file system";
    return false;
  }
  files[name] = bytes;
  return true;
}

std::string format_generation(uint64_t generation) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%15llu\n", static_cast<unsigned long long>(generation));
  return buf;
}

std::optional<uint64_t> parse_generation(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  size_t end = text.size();
  if (end > i && text[end - 1] == '\n') --end;
  if (i == end || end - i > 20) return std::nullopt;
  uint64_t value = 0;
  for (size_t j = i; j < end; ++j) {
    char c = text[j];
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

GenerationOutcome next_generation(Store& store, const std::string& method, int64_t wall_now) {
  GenerationOutcome out;
  std::string error;
  std::optional<std::string> text = store.read(kGenerationFile, error);
  if (!error.empty()) {
    out.error = error;
    return out;
  }
  std::optional<uint64_t> previous = text ? parse_generation(*text) : std::nullopt;
  uint64_t now = wall_now > 0 ? static_cast<uint64_t>(wall_now) : 1;
  if (method == "time") {
    out.generation = previous && *previous >= now ? *previous + 1 : now;
  } else if (previous) {
    out.generation = *previous + 1;
  } else {
    out.generation = now;
    out.first = true;
  }
  if (!store.write(kGenerationFile, format_generation(out.generation), error)) out.error = error;
  return out;
}

std::string uuid_from_nodename(const std::string& node) {
  std::string uuid = node.substr(0, 16);
  uuid.resize(16, '\0');
  return uuid;
}

UuidOutcome load_uuid(Store& store, const std::string& uuidfrom, const std::string& node,
                      const RandomBytes& random_bytes) {
  UuidOutcome out;
  if (uuidfrom == "nodename") {
    out.uuid = uuid_from_nodename(node);
    return out;
  }
  std::string error;
  std::optional<std::string> stored = store.read(kUuidFile, error);
  if (!error.empty()) {
    out.error = error;
    return out;
  }
  if (stored && stored->size() == 16 && *stored != std::string(16, '\0')) {
    out.uuid = *stored;
    return out;
  }
  out.uuid = random_bytes(16);
  out.generated = true;
  if (!store.write(kUuidFile, out.uuid, error)) out.error = error;
  return out;
}

std::string urandom_bytes(size_t count) {
  std::string out(count, '\0');
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  size_t done = 0;
  while (fd >= 0 && done < count) {
    ssize_t n = ::read(fd, &out[done], count - done);
    if (n <= 0 && errno != EINTR) break;
    if (n > 0) done += static_cast<size_t>(n);
  }
  if (fd >= 0) ::close(fd);
  // Never all zero: heartbeat treats a null uuid as "none".
  if (out == std::string(count, '\0') && count > 0) out[0] = 1;
  return out;
}

}  // namespace hbd::io
