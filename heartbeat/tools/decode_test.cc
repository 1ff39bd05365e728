#include "tools/decode.h"

#include <catch2/catch.hpp>

#include "test/temp_dir.h"
#include "tools/decode_command.h"
#include "tools/hbctl.h"
#include "wire/codec.h"

using hbd::tools::DecodeOptions;
using hbd::tools::DecodeReport;
using hbd::tools::DecodeTally;
using hbd::tools::describe_message;
using hbd::wire::AuthConfig;
using hbd::wire::AuthMethod;
using hbd::wire::Message;

namespace {

const std::string kVectors = std::string(HBD_SRCDIR) + "/test/vectors/";

AuthConfig keys(AuthMethod method, std::string secret, int index = 1) {
  AuthConfig auth;
  auth.active = index;
  auth.keys[index] = {method, std::move(secret)};
  return auth;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Message status(bool with_seq = true) {
  Message m;
  m.add("t", "status");
  m.add("st", "up");
  m.add("src", "node1");
  m.add("srcuuid", std::string(16, '\x01'), hbd::wire::FieldType::Binary);
  if (with_seq) m.add("seq", "1a");
  m.add("hg", "6b02079b");
  m.add("ts", "6b020bfa");
  return m;
}

std::string describe(const std::string& payload, const AuthConfig* auth = nullptr) {
  DecodeOptions opts;
  opts.auth = auth;
  opts.authkeys_path = "/etc/ha.d/authkeys";
  DecodeTally tally;
  return describe_message(payload, opts, tally);
}

// A capture from test/vectors: serial-* as a serial log, the rest as pcap.
DecodeReport decode_vector(const std::string& file, const AuthConfig* auth) {
  DecodeOptions opts;
  opts.auth = auth;
  opts.authkeys_path = "keys";
  std::string bytes = hbd::testing::read_file(kVectors + file);
  bool serial = file.compare(0, 7, "serial-") == 0;
  return serial ? hbd::tools::decode_serial(bytes, opts) : hbd::tools::decode_pcap(bytes, opts);
}

hbd::tools::HbctlOutcome hbctl(const std::vector<std::string>& args) {
  return hbd::tools::run_hbctl(args, nullptr, "/nonexistent/socket");
}

}  // namespace

TEST_CASE("decode: a real 3.0.6 capture verifies against its authkeys", "[decode]") {
  AuthConfig auth = keys(AuthMethod::Sha1, "hblab-sha1-secret");
  DecodeReport r = decode_vector("hb-bcast-sha1.pcap", &auth);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(count(r.out, "auth ok (index 1, sha1)\n") == 186);
  CHECK(count(r.out, "3.0.6 would reject") == 0);
  CHECK(r.out.find("#1 2026-11-21 21:24:10.460478 198.18.1.11:") != std::string::npos);
  CHECK(r.out.find("\n  netstring, 309 bytes\n    t=status\n    st=init\n") != std::string::npos);
  CHECK(r.out.find("    (1)srcuuid=(binary 16 bytes) 7636c6de49ec48828e3a0e31e4fa03b3\n") !=
        std::string::npos);
  CHECK(r.out.find("  auth trailer: index 1, sha1\n") != std::string::npos);
  CHECK(r.out.find("186 messages, 186 auth ok, 0 auth FAILS, 0 a 3.0.6 peer would reject\n") !=
        std::string::npos);
}

TEST_CASE("decode: the same capture with a wrong key FAILS, without one is not checked",
          "[decode]") {
  AuthConfig wrong = keys(AuthMethod::Md5, "not-the-secret");
  DecodeReport r = decode_vector("hb-bcast-md5.pcap", &wrong);
  CHECK(count(r.out, "auth FAILS against authkeys keys: bad md5 digest with auth index 1\n") ==
        192);
  CHECK(count(r.out, "! 3.0.6 would reject: bad auth: bad md5 digest") == 192);
  AuthConfig sha1 = keys(AuthMethod::Sha1, "hblab-md5-secret");
  CHECK(decode_vector("hb-bcast-md5.pcap", &sha1).out.find(
            "auth trailer: index 1, sha1 in authkeys, but the digest's length says md5\n") !=
        std::string::npos);
  DecodeReport unchecked = decode_vector("hb-bcast-md5.pcap", nullptr);
  CHECK(count(unchecked.out, "auth not checked (no --authkeys)\n") == 192);
  CHECK(unchecked.out.find("auth trailer: index 1, md5 by its length\n") != std::string::npos);
}

TEST_CASE("decode: a truncated capture keeps what it read and says where it broke", "[decode]") {
  std::string pcap = hbd::testing::read_file(kVectors + "hb-ucast-md5.pcap");
  DecodeReport r = hbd::tools::decode_pcap(pcap.substr(0, 1000), DecodeOptions{});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("not a readable capture: record ") == 0);
  CHECK(r.err.find(" at offset ") != std::string::npos);
  CHECK(r.out.find("#1 ") != std::string::npos);
  DecodeReport garbage = hbd::tools::decode_pcap(std::string(100, 'x'), DecodeOptions{});
  CHECK(garbage.exit_code == 1);
  CHECK(garbage.err.find("not a classic pcap file") != std::string::npos);
}

TEST_CASE("decode: a socat log of a serial line decodes both directions", "[decode]") {
  AuthConfig auth = keys(AuthMethod::Sha1, "hblab-sha1-secret");
  DecodeReport r = decode_vector("serial-sha1.txt", &auth);
  CHECK(r.exit_code == 0);
  // Frames per direction as wire/vectors_test counts them: 99 and 86.
  CHECK(count(r.out, "auth ok (index 1, sha1)\n") == 185);
  CHECK(count(r.out, " serial > 2026/11/21 ") == 99);
  CHECK(count(r.out, " serial < 2026/11/21 ") == 86);
  CHECK(r.out.find("  classic, ") != std::string::npos);
  CHECK(count(r.out, "3.0.6 would reject") == 0);
}

TEST_CASE("decode: raw serial bytes, noise and a torn last frame", "[decode]") {
  AuthConfig crc = keys(AuthMethod::Crc, "");
  std::string frame = hbd::wire::encode_classic(status(), crc, false);
  std::string stream = "\r\nnoise\n" + frame + frame.substr(0, 20);
  DecodeOptions opts;
  opts.auth = &crc;
  DecodeReport r = hbd::tools::decode_serial(stream, opts);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("#1 serial\n  classic, ") != std::string::npos);
  CHECK(count(r.out, "auth ok (index 1, crc)") == 1);
  CHECK(r.out.find("the capture ends inside a frame") != std::string::npos);
  CHECK(r.out.find("bytes outside any frame ignored") != std::string::npos);
  DecodeReport none = hbd::tools::decode_serial("just noise\n", opts);
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no heartbeat frame") == 0);
}

TEST_CASE("decode: flags what a 3.0.6 peer would reject", "[decode]") {
  AuthConfig sha1 = keys(AuthMethod::Sha1, "k");
  SECTION("a line without '=' names the line") {
    std::string bad = ">>>\nt=status\nsrc=node1\nnot a field\nauth=1 ab\n<<<\n";
    std::string out = describe(bad, &sha1);
    CHECK(out.find("    t=status\n    src=node1\n") != std::string::npos);
    CHECK(out.find("! 3.0.6 would reject: field without '=': classic field line without '=' "
                   "(byte 23: \"not a field\")") != std::string::npos);
    CHECK(out.find("auth not checked (the message does not parse)") != std::string::npos);
  }
  SECTION("missing sequence number on a sequenced type") {
    std::string out = describe(hbd::wire::encode_netstring(status(false), sha1, true), &sha1);
    CHECK(out.find("auth ok (index 1, sha1)") != std::string::npos);
    CHECK(out.find("! 3.0.6 would reject: no seq field") != std::string::npos);
  }
  SECTION("NS_ types need no seq, but every message needs t, src, hg and ts") {
    Message ack;
    ack.add("t", "NS_ackmsg");
    CHECK(describe(hbd::wire::encode_netstring(ack, sha1, false)).find("no seq") ==
          std::string::npos);
    Message bare;
    bare.add("st", "up");
    std::string out = describe(hbd::wire::encode_classic(bare, sha1, true));
    CHECK(out.find("no t field") != std::string::npos);
    CHECK(out.find("no src field") != std::string::npos);
    CHECK(out.find("no hg field") != std::string::npos);
    CHECK(out.find("no ts field") != std::string::npos);
    CHECK(out.find("  classic, ") != std::string::npos);
    CHECK(out.find(", trailing NUL\n") != std::string::npos);
  }
  SECTION("classic without an auth field, netstring without a trailer") {
    std::string classic = ">>>\nt=status\nsrc=a\nseq=1\nhg=1\nts=1\n<<<\n";
    CHECK(describe(classic).find("! 3.0.6 would reject: no auth field") != std::string::npos);
    std::string with_keys = describe(classic, &sha1);
    CHECK(with_keys.find("auth FAILS against authkeys /etc/ha.d/authkeys: Bad/invalid") !=
          std::string::npos);
    CHECK(count(with_keys, "! 3.0.6 would reject") == 1);
    std::string signed_ns = hbd::wire::encode_netstring(status(), sha1, false);
    std::string no_trailer = signed_ns.substr(0, signed_ns.find("%%%\n") + 4);
    std::string out = describe(no_trailer, &sha1);
    CHECK(out.find("    t=status\n") != std::string::npos);
    CHECK(out.find("! 3.0.6 would reject: missing auth trailer") != std::string::npos);
    CHECK(out.find("auth FAILS against authkeys") != std::string::npos);
  }
  SECTION("larger than MAXMSG, unknown format, compressed") {
    CHECK(describe(">>>\n" + std::string(300000, 'a')).find("larger than MAXMSG (262144 bytes)") !=
          std::string::npos);
    std::string unknown = describe(std::string("\x78\x9c\x01garbage", 10));
    CHECK(unknown.find("? unknown format, not a heartbeat message: starts \"x\\x9c\\x01garbage\"") !=
          std::string::npos);
    Message z;
    z.add("_compressed_payload", "\x78\x9c\x03\x00", hbd::wire::FieldType::Binary);
    z.add("_compression_algorithm", "zlib");
    std::string out = describe(hbd::wire::encode_netstring(z, sha1, false), &sha1);
    CHECK(out.find("? compressed payload (_compression_algorithm=zlib): not decompressed") !=
          std::string::npos);
    CHECK(out.find("would reject") == std::string::npos);
  }
  SECTION("signed with a non-active index that 3.0.6's trailer check gets wrong") {
    AuthConfig sender = keys(AuthMethod::Md5, "two", 2);
    AuthConfig receiver = sender;
    receiver.keys[1] = {AuthMethod::Sha1, "one"};
    receiver.active = 1;
    std::string out = describe(hbd::wire::encode_netstring(status(), sender, true), &receiver);
    CHECK(out.find("auth ok (index 2, md5)") != std::string::npos);
    CHECK(out.find("! 3.0.6 would reject: signed with index 2, but a 3.0.6 peer with this "
                   "authkeys checks the trailer with its active key (auth 1)") !=
          std::string::npos);
  }
}

TEST_CASE("hbctl decode: options, authkeys file, errors", "[decode]") {
  auto ok = hbctl({"decode", "--authkeys", kVectors + "authkeys-crc", kVectors +
                   "hb-bcast-crc.pcap"});
  CHECK(ok.exit_code == 0);
  CHECK(count(ok.out, "auth ok (index 1, crc)") == 191);
  auto serial = hbctl({"decode", "--serial", "--authkeys", kVectors + "authkeys-crc",
                       kVectors + "serial-crc.txt"});
  CHECK(serial.exit_code == 0);
  CHECK(count(serial.out, "auth ok (index 1, crc)") == 188);
  auto other_port = hbctl({"decode", "--port", "695", kVectors + "hb-bcast-crc.pcap"});
  CHECK(other_port.out.find("191 UDP datagrams not to or from port 695 skipped") !=
        std::string::npos);
  CHECK(hbctl({"decode", "--port", "0", "x"}).exit_code == 2);
  CHECK(hbctl({"decode"}).err.find("which capture?") != std::string::npos);
  CHECK(hbctl({"decode", "a", "b"}).exit_code == 2);
  CHECK(hbctl({"decode", "--help"}).out.find("Usage: hbctl decode") == 0);
  auto missing = hbctl({"decode", "/nonexistent.pcap"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "hbctl decode: cannot read /nonexistent.pcap\n");
  hbd::testing::TempDir dir;
  std::string bad_keys = dir.path() + "/authkeys";
  std::ofstream(bad_keys) << "auth 1\n1 sha1\n";
  auto unusable = hbctl({"decode", "--authkeys", bad_keys, kVectors + "hb-bcast-crc.pcap"});
  CHECK(unusable.exit_code == 1);
  CHECK(unusable.err.find("is not usable") != std::string::npos);
  std::string cut = dir.path() + "/cut.pcap";
  std::ofstream(cut) << hbd::testing::read_file(kVectors + "hb-bcast-crc.pcap").substr(0, 700);
  auto truncated = hbctl({"decode", cut});
  CHECK(truncated.exit_code == 1);
  CHECK(truncated.err.find("hbctl decode: " + cut + ": not a readable capture: record ") == 0);
  CHECK(hbctl({"status", "--bogus"}).err.find("hbctl decode [--authkeys FILE]") !=
        std::string::npos);
}

TEST_CASE("decode: every cut and every flipped byte of a capture is survived", "[decode]") {
  std::string pcap = hbd::testing::read_file(kVectors + "hb-bcast-crc.pcap").substr(0, 2000);
  AuthConfig crc = keys(AuthMethod::Crc, "");
  DecodeOptions opts;
  opts.auth = &crc;
  size_t errors = 0;
  for (size_t n = 0; n < pcap.size(); ++n)
    errors += hbd::tools::decode_pcap(pcap.substr(0, n), opts).exit_code == 1;
  CHECK(errors > 1000);  // most cuts land inside a record
  for (size_t i = 0; i < pcap.size(); i += 7) {
    std::string flipped = pcap;
    flipped[i] = static_cast<char>(flipped[i] ^ 0xa5);
    hbd::tools::decode_pcap(flipped, opts);
    hbd::tools::decode_serial(flipped, opts);
  }
}
