#!/bin/bash
# hbd's httpd (Debian's Apache 2), Delay and MailTo run by hand in a test
# host: start waits until the server answers, status asks it over HTTP,
# stop waits until it is gone; a configuration of one's own with the
# document root elsewhere; idempotent ops; usage errors.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/hosts/lib.sh"
. "$top/test/scripts/lib.sh"
hbt_require || exit 77
[ -x /usr/sbin/apache2 ] || { echo "SKIP: apache2 is not installed"; exit 77; }

hbt_cluster node1 client || exit 1
rsd_install node1
rsd_private_srv node1
# A configuration of one's own: the sample ha.d/httpd.conf on port 8080,
# the document root under /srv (the shared disk in a cluster).
rsd_httpd_conf node1 8080 /srv/www
for h in node1 client; do hbt_boot "$h" || exit 1; done
mkdir -p "$(hbt_dir node1)/srv/www"
echo "served from the shared disk" >"$(hbt_dir node1)/srv/www/index.html"
gone() { ! hbt_run node1 pgrep -x apache2 >/dev/null; }

echo "== Debian's configuration"
rsd_expect "too many arguments: usage" 2 rsd_script node1 httpd a b start
rsd_expect "unknown operation: usage" 2 rsd_script node1 httpd reload
rsd_expect "status before start" 3 rsd_script node1 httpd status
rsd_output_has "stopped text" "Resource is stopped"
rsd_expect "start" 0 rsd_script node1 httpd start
rsd_output_has "says where it answers" "answers at http://127.0.0.1:80/"
hbt_run client curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$(hbt_ip node1)/" | grep -q 200 &&
	rsd_ok "client gets a page" || rsd_fail "client gets no page"
rsd_expect "start again" 0 rsd_script node1 httpd start
[ "$(hbt_run node1 pgrep -c -f '^/usr/sbin/apache2 -f /etc/apache2/apache2.conf')" -ge 1 ] &&
	rsd_ok "runs" || rsd_fail "no apache2"
rsd_expect "status" 0 rsd_script node1 httpd status
rsd_output_has "running text" "Running OK"
hbt_run node1 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /usr/sbin/apache2ctl status >/dev/null 2>&1
[ -s "$(hbt_dir node1)/../../hosts/node1/log/apache2/error.log" ] || [ -d "$(hbt_logdir node1)/apache2" ] &&
	rsd_ok "Debian's log directory made" || rsd_fail "no /var/log/apache2"
rsd_expect "stop" 0 rsd_script node1 httpd stop
gone && rsd_ok "no apache2 process left" || rsd_fail "apache2 still runs: $(hbt_run node1 pgrep -a apache2)"
rsd_expect "stop again" 0 rsd_script node1 httpd stop
rsd_expect "status after stop" 3 rsd_script node1 httpd status

echo "== a configuration of one's own, document root on /srv"
rsd_expect "start" 0 rsd_script node1 httpd /etc/ha.d/httpd.conf start
rsd_output_has "its own port" "answers at http://127.0.0.1:8080/"
[ "$(hbt_run client curl -s -m 5 "http://$(hbt_ip node1):8080/")" = "served from the shared disk" ] &&
	rsd_ok "client gets the page from /srv/www" || rsd_fail "wrong page"
rsd_expect "status" 0 rsd_script node1 httpd /etc/ha.d/httpd.conf status
# A server that stops answering is not running, even with its process there.
hbt_run node1 pkill -STOP -f -- '-f /etc/ha.d/httpd.conf' 
rsd_expect "status of a frozen server" 3 rsd_script node1 httpd /etc/ha.d/httpd.conf status
hbt_run node1 pkill -CONT -f -- '-f /etc/ha.d/httpd.conf' 
rsd_expect "stop" 0 rsd_script node1 httpd /etc/ha.d/httpd.conf stop
gone && rsd_ok "gone" || rsd_fail "apache2 still runs"
rsd_expect "missing configuration file" 6 rsd_script node1 httpd /etc/ha.d/none.conf start
rsd_output_has "names it" "Configuration file /etc/ha.d/none.conf not found"
{ sed 's/^Listen 8080/Listen 8081/' "$(hbt_etc node1)/httpd.conf"; echo "NoSuchDirective x"; } >"$(hbt_etc node1)/bad.conf"
rsd_expect "broken configuration" 1 rsd_script node1 httpd /etc/ha.d/bad.conf start
rsd_output_has "apache's own words logged" "NoSuchDirective"

echo "== Delay and MailTo"
rsd_expect "Delay usage" 2 rsd_script node1 Delay x start
rsd_expect "Delay status before" 3 rsd_script node1 Delay 1 0 status
t0=$(date +%s%N)
rsd_expect "Delay start" 0 rsd_script node1 Delay 1 0 start
[ $(( ($(date +%s%N) - t0) / 1000000 )) -ge 1000 ] && rsd_ok "waited 1 s" || rsd_fail "did not wait"
rsd_expect "Delay status" 0 rsd_script node1 Delay 1 0 status
rsd_expect "Delay stop" 0 rsd_script node1 Delay 1 0 stop
rsd_expect "Delay status after" 3 rsd_script node1 Delay 1 0 status
rsd_expect "MailTo usage" 2 rsd_script node1 MailTo start
rsd_expect "MailTo start" 0 rsd_script node1 MailTo root@localhost "web group" start
if command -v mail >/dev/null; then rsd_output_has "mailed" "Mailed root@localhost"
else rsd_output_has "no mailer: logged only" "No mail command installed: not mailed to root@localhost: web group Takeover in progress"; fi
rsd_expect "MailTo status" 0 rsd_script node1 MailTo root@localhost "web group" status
rsd_expect "MailTo stop" 0 rsd_script node1 MailTo root@localhost "web group" stop
rsd_expect "MailTo status after" 3 rsd_script node1 MailTo root@localhost "web group" status

rsd_summary "httpd, Delay, MailTo"
