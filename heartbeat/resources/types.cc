#include "resources/types.h"

namespace hbd::resources {

const char* set_name(int set) {
  switch (set) {
    case kNone: return "none";
    case kLocal: return "local";
    case kForeign: return "foreign";
    case kAll: return "all";
    default: return "(undefined)";
  }
}

std::optional<int> parse_set(std::string_view text) {
  for (int set : {kNone, kLocal, kForeign, kAll})
    if (text == set_name(set)) return set;
  return std::nullopt;
}

int update_set(bool full, int current, int update) {
  if (full || update == kNone) return update;
  return current | update;
}

int complement(int set) {
  switch (set) {
    case kLocal: return kForeign;
    case kForeign: return kLocal;
    default: return set;
  }
}

const char* op_name(Op op) {
  switch (op) {
    case Op::Start: return "start";
    case Op::Stop: return "stop";
    case Op::Status: return "status";
  }
  return "status";
}

void Out::send(wire::Message message) {
  Action a;
  a.kind = Action::Kind::Send;
  a.message = std::move(message);
  actions_.push_back(std::move(a));
}

void Out::log(log::Level level, std::string text) {
  Action a;
  a.kind = Action::Kind::Log;
  a.level = level;
  a.text = std::move(text);
  actions_.push_back(std::move(a));
}

void Out::run(ScriptCall call) {
  Action a;
  a.kind = Action::Kind::RunScript;
  a.call = std::move(call);
  actions_.push_back(std::move(a));
}

void Out::announce(std::vector<std::string> addresses) {
  if (addresses.empty()) return;
  Action a;
  a.kind = Action::Kind::Announce;
  a.addresses = std::move(addresses);
  actions_.push_back(std::move(a));
}

void Out::reboot() {
  Action a;
  a.kind = Action::Kind::Reboot;
  actions_.push_back(std::move(a));
}

void Out::shutdown_complete() {
  Action a;
  a.kind = Action::Kind::ShutdownComplete;
  actions_.push_back(std::move(a));
}

wire::Message make_message(const std::string& type,
                           std::initializer_list<std::pair<std::string, std::string>> fields) {
  wire::Message m;
  m.add("t", type);
  for (const auto& [name, value] : fields) m.add(name, value);
  return m;
}

}  // namespace hbd::resources
