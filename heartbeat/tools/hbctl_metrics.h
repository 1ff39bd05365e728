// `hbctl metrics`: a status snapshot in Prometheus' text exposition format
// (version 0.0.4), for node_exporter's textfile collector or a scrape
// wrapper. Pure: no sockets, no clock.
#pragma once
#include <string>
#include <string_view>

#include "control/snapshot.h"

namespace hbd::tools {

// A label value as the format wants it: backslash, double quote and newline
// escaped (\\, \", \n); everything else as is.
std::string prometheus_label_value(std::string_view text);

// A snapshot counter key as a metric name part: runs of characters outside
// [a-zA-Z0-9_] become one '_', lowercase, no '_' at either end.
// "rejected: bad digest" -> "rejected_bad_digest".
std::string prometheus_name_part(std::string_view key);

// Every family with # HELP and # TYPE, hbd_up 1 first.
std::string format_metrics(const control::Snapshot& snapshot);

// What a scrape gets when hbd does not answer: hbd_up 0 only.
std::string format_metrics_down();

}  // namespace hbd::tools
