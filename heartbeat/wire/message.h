// A heartbeat message: an ordered list of typed fields (wire-protocol §1.1).
// Order is kept end to end because the inner auth digest covers it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hbd::wire {

enum class FieldType : int { String = 0, Binary = 1, Struct = 2, List = 3, Compressed = 4 };

struct Field {
  std::string name;
  FieldType type = FieldType::String;
  // Raw bytes: a String's real text (newlines unescaped), a Binary's bytes
  // (not base64), a Struct's nested encoded message, a List's packed form.
  std::string value;

  bool operator==(const Field& o) const {
    return name == o.name && type == o.type && value == o.value;
  }
};

class Message {
 public:
  // Fields made room for at the first add: more than a status carries.
  static constexpr size_t kTypicalFields = 16;

  const std::vector<Field>& fields() const { return fields_; }
  std::vector<Field>& fields() { return fields_; }
  bool empty() const { return fields_.empty(); }

  // Appends, even when a field of that name exists (duplicates are legal).
  void add(std::string name, std::string value, FieldType type = FieldType::String);
  // Replaces the first field of that name in place, or appends.
  void set(std::string_view name, std::string value, FieldType type = FieldType::String);
  // The first field of that name, or nullptr.
  const Field* find(std::string_view name) const;
  // The first field's value, or nullptr.
  const std::string* get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  // Removes every field of that name.
  void remove(std::string_view name);

  bool operator==(const Message& o) const { return fields_ == o.fields_; }

 private:
  std::vector<Field> fields_;
};

}  // namespace hbd::wire
