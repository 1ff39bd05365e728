// Walks a message's fields as they go out signed: the first "auth" field
// carries the new token (or, if there is none, one is appended at the end),
// and later "auth" fields are kept. Lets the encoders sign without copying
// the message.
#pragma once
#include <string_view>

#include "wire/message.h"

namespace hbd::wire {

template <class Emit>  // Emit(std::string_view name, FieldType type, std::string_view value)
void for_each_signed_field(const Message& msg, std::string_view auth_value, Emit emit) {
  bool replaced = false;
  for (const Field& f : msg.fields()) {
    if (!replaced && f.name == "auth") {
      emit(f.name, FieldType::String, auth_value);
      replaced = true;
    } else {
      emit(f.name, f.type, f.value);
    }
  }
  if (!replaced) emit("auth", FieldType::String, auth_value);
}

}  // namespace hbd::wire
