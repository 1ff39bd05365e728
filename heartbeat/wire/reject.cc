#include "wire/reject.h"

namespace hbd::wire {

const char* reject_name(Reject reason) {
  switch (reason) {
    case Reject::None: return "accepted";
    case Reject::TooLarge: return "too large";
    case Reject::UnknownFormat: return "unknown format";
    case Reject::Truncated: return "truncated";
    case Reject::BadLength: return "bad length";
    case Reject::BadNetstring: return "bad netstring";
    case Reject::MissingType: return "missing type";
    case Reject::BadType: return "bad type";
    case Reject::FieldWithoutEquals: return "field without '='";
    case Reject::EmptyName: return "empty field name";
    case Reject::BadBase64: return "bad base64";
    case Reject::BadList: return "bad list";
    case Reject::TrailingGarbage: return "trailing garbage";
    case Reject::MissingTrailer: return "missing auth trailer";
    case Reject::MissingAuth: return "missing auth field";
    case Reject::BadAuthToken: return "bad auth token";
    case Reject::UnknownAuthIndex: return "unknown auth index";
    case Reject::BadDigest: return "bad digest";
    case Reject::Count: break;
  }
  return "unknown reason";
}

}  // namespace hbd::wire
