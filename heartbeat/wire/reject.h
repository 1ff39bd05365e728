// Why a packet was not accepted. Each reason is one thing a sender (or an
// attacker) can get wrong; the text is what we log.
#pragma once
#include <cstddef>
#include <string>

namespace hbd::wire {

enum class Reject {
  None,
  TooLarge,            // more than MAXMSG bytes on the wire
  UnknownFormat,       // starts with neither ">>>\n" nor "###\n"
  Truncated,           // ends before the end marker or inside a field
  BadLength,           // netstring length not plain decimal, or past the end
  BadNetstring,        // netstring content not followed by ','
  MissingType,         // netstring field without its "(D)" prefix
  BadType,             // "(0)" in classic, or a type code we do not know
  FieldWithoutEquals,  // a field with no '='
  EmptyName,           // a field whose name is empty
  BadBase64,           // a binary field that is not canonical base64
  BadList,             // a list field whose packing does not parse
  TrailingGarbage,     // bytes after the end of the message
  MissingTrailer,      // netstring message without its auth trailer
  MissingAuth,         // classic message without an auth field
  BadAuthToken,        // auth text not "<index> <lowercase hex>"
  UnknownAuthIndex,    // index not configured in authkeys
  BadDigest,           // digest does not match
  Count,               // not a reason: how many there are (keep it last)
};

// For arrays indexed by reason: new reasons are counted without a change here.
inline constexpr size_t kRejectReasons = static_cast<size_t>(Reject::Count);

// The enum's name in plain words, e.g. "bad digest".
const char* reject_name(Reject reason);

struct Rejection {
  Reject reason = Reject::None;
  std::string text;  // human-readable detail for the log
};

}  // namespace hbd::wire
