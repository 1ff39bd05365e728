#include "wire/message.h"

#include <algorithm>

namespace hbd::wire {

void Message::add(std::string name, std::string value, FieldType type) {
  // Room for a whole status (a dozen fields) at the first field, instead of
  // growing 1, 2, 4, 8, 16 and moving every field at each step.
  if (fields_.capacity() == 0) fields_.reserve(kTypicalFields);
  fields_.push_back(Field{std::move(name), type, std::move(value)});
}

void Message::set(std::string_view name, std::string value, FieldType type) {
  for (auto& f : fields_) {
    if (f.name == name) {
      f.type = type;
      f.value = std::move(value);
      return;
    }
  }
  add(std::string(name), std::move(value), type);
}

const Field* Message::find(std::string_view name) const {
  for (const auto& f : fields_)
    if (f.name == name) return &f;
  return nullptr;
}

const std::string* Message::get(std::string_view name) const {
  const Field* f = find(name);
  return f ? &f->value : nullptr;
}

std::string Message::get_or(std::string_view name, std::string_view fallback) const {
  const std::string* v = get(name);
  return v ? *v : std::string(fallback);
}

void Message::remove(std::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const Field& f) { return f.name == name; }),
                fields_.end());
}

}  // namespace hbd::wire
