// Nothing of its own: test/pcap.h names tools/pcap_reader. Kept so the
// makefiles that list it (wire tests, bench) need no change.
#include "test/pcap.h"
