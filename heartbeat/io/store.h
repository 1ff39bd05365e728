// Persistent daemon state (wire-protocol §5.4, §5.5): the generation counter
// and the node uuid. The files sit behind a small Store interface so that the
// rules (format, first start, increment) are tested without touching disk.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace hbd::io {

constexpr const char* kStateDir = "/var/lib/heartbeat";
constexpr const char* kGenerationFile = "hb_generation";
constexpr const char* kUuidFile = "hb_uuid";

class Store {
 public:
  virtual ~Store() = default;
  // The whole content of `name`, or nullopt when it does not exist.
  // Other read failures are reported in `error`.
  virtual std::optional<std::string> read(const std::string& name, std::string& error) = 0;
  // Replaces `name` atomically; false with `error` set on failure.
  virtual bool write(const std::string& name, const std::string& bytes, std::string& error) = 0;
};

// Files in a directory (normally /var/lib/heartbeat), mode 0644, written via
// a fresh `<name>.new` (never through a symlink), fsync, rename and a
// directory fsync, so neither a crash nor a power cut leaves half a
// generation or brings an older one back.
class FileStore : public Store {
 public:
  explicit FileStore(std::string dir) : dir_(std::move(dir)) {}
  std::optional<std::string> read(const std::string& name, std::string& error) override;
  bool write(const std::string& name, const std::string& bytes, std::string& error) override;

 private:
  std::string dir_;
};

// For tests and dry runs.
class MemoryStore : public Store {
 public:
  std::optional<std::string> read(const std::string& name, std::string& error) override;
  bool write(const std::string& name, const std::string& bytes, std::string& error) override;
  std::map<std::string, std::string> files;
  bool fail_writes = false;
};

// "%15lu\n" as heartbeat writes hb_generation.
std::string format_generation(uint64_t generation);
// Leading blanks, decimal digits, optional trailing newline; nullopt otherwise.
std::optional<uint64_t> parse_generation(const std::string& text);

struct GenerationOutcome {
  uint64_t generation = 0;
  bool first = false;  // no previous generation: "No Previous generation - starting at N"
  std::string error;   // set when it could not be persisted: do not start
};

// Reads, increments and writes back the generation before anything is sent.
// `method` is ha.cf's hbgenmethod: "file" (persistent counter whose first
// value is `wall_now`) or "time" (wall_now, but never below the last value
// + 1 so that a clock set backwards cannot make peers see a replay).
GenerationOutcome next_generation(Store& store, const std::string& method, int64_t wall_now);

struct UuidOutcome {
  std::string uuid;        // 16 raw bytes
  bool generated = false;  // "No uuid found for current node - generating a new uuid."
  std::string error;
};

using RandomBytes = std::function<std::string(size_t)>;
// `uuidfrom file`: the stored 16 bytes, or fresh random ones written back.
// `uuidfrom nodename`: derived from the node name (nothing stored).
UuidOutcome load_uuid(Store& store, const std::string& uuidfrom, const std::string& node,
                      const RandomBytes& random_bytes);
// The uuid `uuidfrom nodename` uses: the name's bytes, NUL padded/truncated to 16.
std::string uuid_from_nodename(const std::string& node);

// 16 bytes from /dev/urandom (the real RandomBytes).
std::string urandom_bytes(size_t count);

}  // namespace hbd::io
