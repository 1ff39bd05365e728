# Scenarios of the resource-group cluster tests (sourced after rsc-lib.sh).
# Each scenario asserts behaviour with `check` lines: where the groups run
# (actual state on the hosts), what the client sees, which log lines appear.
# Waits are generous bounds, never timing assertions.  The scenarios that
# change ownership leave the cluster "home" again (A on node1, B on node2)
# unless said otherwise, so they can run in sequence (rsc-cluster.sh).
#
# Assertions tagged [hb] describe what heartbeat 3.0.6 really does where a
# drop-in may decide differently (quirks, heartbeat-only log lines).  They
# are checked when the node concerned runs heartbeat, and for hbd nodes too
# when RSC_HB_QUIRKS=yes (default: no).
RSC_HB_QUIRKS=${RSC_HB_QUIRKS:-no}

# Bounds (tenths of a second).  Initial acquisition with both nodes
# starting costs initdead + heartbeat's 10 s RQSTDELAY + the scripts
# (IPaddr takes ~2 s per call here).
W_INITIAL=600
W_MOVE=300        # a standby, takeover or failback
W_DEAD=$(((RSC_DEADTIME + 10) * 10))
W_HEAL=900        # split-brain heal (heartbeat restarts both nodes)

# hb_check HOST DESCRIPTION CMD...: a [hb] assertion about HOST's behaviour.
hb_check() {
	local host=$1 what=$2; shift 2
	hb_applies "$host" && check "[hb] $what" "$@"
	return 0
}
hb_applies() { is_hb "$1" || [ "$RSC_HB_QUIRKS" = yes ]; }
# settle SECONDS: only before asserting that something did NOT happen.
settle() { sleep "$1"; }
scenario() { echo "# $* ($NODE1_KIND+$NODE2_KIND, auto_failback $RSC_MODE)"; }
skip() { echo "SKIP $*"; }

home() { owners_are node1 node2; }
# at_home: precondition of most scenarios; waits a little for a transition.
at_home() { check "precondition: A on node1, B on node2" hbt_wait_for "$W_MOVE" home; }

rscstatus_check() {  # rscstatus_check HOST EXPECTED
	has_cl_status "$1" || return 0
	check "$1: rscstatus $2" hbt_wait_for 100 rscstatus_is "$1" "$2"
}
# rscstatus_home: what each node's cl_status says at home.
rscstatus_home() {
	local want=local
	nice_failback || want=none
	rscstatus_check node1 $want
	rscstatus_check node2 $want
}
# logged_on_both REGEX: a line since the marks on each node.
logged_on_both() { log_since node1 "${M[node1]}" "$1" && log_since node2 "${M[node2]}" "$1"; }
both_logged() {  # both_logged DESCRIPTION REGEX [TENTHS]
	local h
	for h in node1 node2; do
		check "$h: $1" hbt_wait_for "${3:-$W_MOVE}" log_since "$h" "${M[$h]}" "$2"
	done
}
# first_before HOST MARK RE1 RE2: since the mark, a line matches RE1, and
# it comes before the first line that matches RE2 (if any).
first_before() {
	local a b
	a=$(tail -n "+$(($2 + 1))" "$(ha_log_of "$1")" | grep -nE -- "$3" | head -n 1 | cut -d: -f1)
	b=$(tail -n "+$(($2 + 1))" "$(ha_log_of "$1")" | grep -nE -- "$4" | head -n 1 | cut -d: -f1)
	[ -n "$a" ] && { [ -z "$b" ] || [ "$a" -lt "$b" ]; }
}
no_double() { check "no group on both nodes at any sampled moment ($SAMPLES samples)" no_double_sampled; }
# not_started_since HOST MARK RESOURCES...: none of them had a start.
not_started_since() {
	local host=$1 mark=$2 r; shift 2
	for r in "$@"; do rec_since "$host" "$mark" "^$r start" && return 1; done
	return 0
}

# --- expected owners after a standby ---------------------------------------

# in_standby_set GROUP GIVER SET: the group is in what GIVER gives up with
# `hb_standby SET` (local = GIVER's own groups; foreign/failback = the
# others; all).
in_standby_set() {
	case $3 in
	all) return 0 ;;
	local) [ "$(home_of "$1")" = "$2" ] ;;
	foreign|failback) [ "$(home_of "$1")" != "$2" ] ;;
	*) return 1 ;;
	esac
}
# expect_standby GIVER SET: EXP_A, EXP_B = the owners after GIVER's standby
# of SET, from the owners now: what is in the set goes to the peer, the
# rest stays.
expect_standby() {
	local g cur exp
	for g in A B; do
		cur=$(group_owner "$g")
		if in_standby_set "$g" "$1" "$2"; then exp=$(peer_of "$1"); else exp=$cur; fi
		printf -v "EXP_$g" %s "$exp"
	done
}
# takeover_set WHAT: the standby the peer runs for `hb_takeover WHAT`
# (rc.d/hb_takeover: all->all, local->foreign, foreign->local, and the
# quirk failback->all).
takeover_set() {
	case $1 in
	all|failback|"") echo all ;;
	local) echo foreign ;;
	foreign) echo local ;;
	esac
}

# --- a. initial acquisition ------------------------------------------------

scenario_initial() {
	scenario "a. initial acquisition, both daemons started together"
	marks
	sampler_start initial
	check "daemon starts on node1" rsc_start node1
	check "daemon starts on node2" rsc_start node2
	check "A on node1, B on node2" hbt_wait_for "$W_INITIAL" home
	both_logged "Initial resource acquisition complete" \
		"Initial resource acquisition complete" "$W_INITIAL"
	sampler_stop
	no_double
	sample_is() { sample_state; [ "$SAMPLE" = "$1" ]; }
	check "the sampler's view agrees (node1=vip,A1,A2 node2=B1)" sample_is "node1=vip,A1,A2 node2=B1"
	check "client sees the VIP at node1" hbt_wait_for 100 client_sees_vip_at node1
	check "node2 started none of A's resources" not_started_since node2 "${R[node2]}" A1 A2
	check "node1 did not start B1" not_started_since node1 "${R[node1]}" B1
	rscstatus_home
	echo "# initial acquisition: $(sampled_after 'node1=vip,A1,A2 node2=B1') ms after the start"
}

# --- b. hb_standby ---------------------------------------------------------

# scenario_standby GIVER: hb_standby (all) on GIVER.  on/off: everything
# goes to the peer; legacy: nothing moves.  Leaves the cluster as it ends.
scenario_standby() {
	local giver=$1 peer; peer=$(peer_of "$1")
	scenario "b. hb_standby on $giver ($(standby_tool_of "$giver"))"
	marks
	sampler_start "standby $giver"
	sampler_note "hb_standby on $giver"
	check "hb_standby runs on $giver" standby "$giver"
	if nice_failback; then
		check "everything moves to $peer" hbt_wait_for "$W_MOVE" owners_are "$peer" "$peer"
		both_logged "$giver wants to go standby" "$giver wants to go standby \[all\]"
		check "$peer: Standby resource acquisition done" \
			hbt_wait_for "$W_MOVE" log_since "$peer" "${M[$peer]}" "Standby resource acquisition done"
		hb_check "$giver" "$giver: Other node completed standby takeover" \
			hbt_wait_for "$W_MOVE" log_since "$giver" "${M[$giver]}" "Other node completed standby takeover of all resources"
		sampler_stop
		no_double
		check "client sees the VIP at $peer" hbt_wait_for 100 client_sees_vip_at "$peer"
		rscstatus_check "$giver" none
		rscstatus_check "$peer" all
		echo "# standby: VIP on $peer $(sampled_after "$peer=vip") ms after hb_standby"
	else
		both_logged "Standby mode only implemented when nice_failback on" \
			"Standby mode only implemented when nice_failback on"
		settle 2
		sampler_stop
		check "nothing moved: A on node1, B on node2" home
		check "no resource was stopped" \
			not eval 'rec_since node1 "${R[node1]}" " stop " || rec_since node2 "${R[node2]}" " stop "'
	fi
}

# --- c. hb_takeover --------------------------------------------------------

# scenario_takeover TAKER WHAT: hb_takeover WHAT on TAKER: the peer runs the
# matching standby (takeover_set) and the groups of that set move to TAKER.
scenario_takeover() {
	local taker=$1 what=$2 peer set; peer=$(peer_of "$1")
	set=$(takeover_set "$what")
	scenario "c. hb_takeover $what on $taker"
	marks
	if ! nice_failback; then
		sampler_start "takeover $what"
		sampler_note "hb_takeover $what on $taker"
		check "hb_takeover $what runs on $taker" takeover "$taker" "$what"
		both_logged "Standby mode only implemented when nice_failback on" \
			"Standby mode only implemented when nice_failback on"
		settle 2
		sampler_stop
		check "nothing moved: A on node1, B on node2" home
		check "no resource was stopped" \
			not eval 'rec_since node1 "${R[node1]}" " stop " || rec_since node2 "${R[node2]}" " stop "'
		return
	fi
	expect_standby "$peer" "$set"
	local exp_a=$EXP_A exp_b=$EXP_B quirk=
	[ "$what" = failback ] && quirk=" (quirk: failback acts as all)"
	sampler_start "takeover $what"
	sampler_note "hb_takeover $what on $taker"
	check "hb_takeover $what runs on $taker" takeover "$taker" "$what"
	both_logged "$peer wants to go standby [$set]" "$peer wants to go standby \[$set\]"
	check "$taker: Standby resource acquisition done" \
		hbt_wait_for "$W_MOVE" log_since "$taker" "${M[$taker]}" "Standby resource acquisition done"
	if [ "$what" = failback ]; then
		hb_check "$peer" "A on $exp_a, B on $exp_b$quirk" hbt_wait_for "$W_MOVE" owners_are "$exp_a" "$exp_b"
	else
		check "A on $exp_a, B on $exp_b" hbt_wait_for "$W_MOVE" owners_are "$exp_a" "$exp_b"
	fi
	sampler_stop
	no_double
	case $exp_a in node1|node2)
		check "client sees the VIP at $exp_a" hbt_wait_for 100 client_sees_vip_at "$exp_a" ;;
	esac
}

# scenario_takeovers: a round of takeovers starting with everything on
# node2 (after b) and ending home.
scenario_takeovers() {
	if nice_failback; then
		scenario_takeover node1 local      # node1 gets its own group back: home
		scenario_takeover node2 all        # node2 runs everything
		scenario_takeover node1 failback   # quirk: node2 gives up all
		scenario_takeover node2 local      # node1 hands B back: home
		scenario_takeover node1 foreign    # node1 gets B too
		scenario_standby_set node1 failback  # hb_standby failback = foreign: home
	else
		scenario_takeover node1 all
	fi
}
# scenario_standby_set GIVER SET: hb_standby SET (on/off only).
scenario_standby_set() {
	local giver=$1 set=$2 peer; peer=$(peer_of "$1")
	local wire=$set
	[ "$set" = failback ] && wire=foreign
	scenario "c. hb_standby $set on $giver"
	marks
	expect_standby "$giver" "$set"
	local exp_a=$EXP_A exp_b=$EXP_B
	sampler_start "standby $set"
	sampler_note "hb_standby $set on $giver"
	check "hb_standby $set runs on $giver" standby "$giver" "$set"
	both_logged "$giver wants to go standby [$wire]" "$giver wants to go standby \[$wire\]"
	check "A on $exp_a, B on $exp_b" hbt_wait_for "$W_MOVE" owners_are "$exp_a" "$exp_b"
	check "$peer: Standby resource acquisition done" \
		hbt_wait_for "$W_MOVE" log_since "$peer" "${M[$peer]}" "Standby resource acquisition done"
	sampler_stop
	no_double
}

# --- d. crash, e. return -----------------------------------------------------

# scenario_crash VICTIM: power loss of VICTIM; the peer takes everything.
scenario_crash() {
	local victim=$1 peer; peer=$(peer_of "$1")
	scenario "d. power loss of $victim"
	marks
	local t0; t0=$(now_ms)
	rsc_power_off "$victim"
	check "$peer declares $victim dead" \
		hbt_wait_for "$W_DEAD" log_since "$peer" "${M[$peer]}" "node $victim: is dead"
	check "$peer runs everything" hbt_wait_for "$W_MOVE" owners_are "$peer" "$peer"
	check "client sees the VIP at $peer" hbt_wait_for 200 client_sees_vip_at "$peer"
	echo "# crash: client sees the VIP at $peer $(($(now_ms) - t0)) ms after the power loss"
	check "$peer: Resources being acquired from $victim" \
		log_since "$peer" "${M[$peer]}" "Resources being acquired from $victim"
	local key; [ "$victim" = node1 ] && key="$VIP/24/eth0" || key="rec::B1"
	hb_check "$peer" "$peer: Taking over resource group $key" \
		log_since "$peer" "${M[$peer]}" "Taking over resource group $key"
	hb_check "$peer" "$peer: mach_down takeover complete" \
		hbt_wait_for 100 log_since "$peer" "${M[$peer]}" "mach_down takeover complete"
	nice_failback && rscstatus_check "$peer" all
}

# scenario_return VICTIM: VICTIM boots and starts its daemon again.  on,
# legacy: its group comes back; off: it stays with the peer (then an
# hb_takeover local brings it home for the next scenarios).
scenario_return() {
	local victim=$1 peer; peer=$(peer_of "$1")
	scenario "e. $victim boots again"
	marks
	sampler_start "return $victim"
	sampler_note "power on $victim"
	check "$victim boots" rsc_power_on "$victim"
	sampler_note "start the daemon on $victim"
	check "daemon starts on $victim" rsc_start "$victim"
	check "$victim: Initial resource acquisition complete" \
		hbt_wait_for "$W_INITIAL" log_since "$victim" "${M[$victim]}" "Initial resource acquisition complete"
	if [ "$RSC_MODE" = off ]; then
		settle 2
		sampler_stop
		check "groups stay on $peer" owners_are "$peer" "$peer"
		check "$victim started nothing" not_started_since "$victim" "${R[$victim]}" A1 A2 B1
		rscstatus_check "$victim" none
		rscstatus_check "$peer" all
		no_double
		scenario_takeover "$victim" local
	else
		check "failback: A on node1, B on node2" hbt_wait_for "$W_MOVE" home
		sampler_stop
		no_double
		check "client sees the VIP at node1" hbt_wait_for 100 client_sees_vip_at node1
		rscstatus_home
		[ "$RSC_MODE" = legacy ] && hb_check "$victim" "$victim: received ip-request-resp (legacy)" \
			log_since "$victim" "${M[$victim]}" "received ip-request-resp"
	fi
}

# --- f. graceful stop ------------------------------------------------------

# scenario_graceful NODE term|k|init: orderly stop of NODE's daemon; the peer
# takes its groups at once (before it would declare NODE dead); then NODE
# starts again.
scenario_graceful() {
	local node=$1 how=$2 peer; peer=$(peer_of "$1")
	if ! can_stop_by "$node" "$how"; then
		skip "f. graceful stop of $node by its init script: none at $(init_script_of "$node")"
		return
	fi
	scenario "f. graceful stop of $node ($how)"
	marks
	sampler_start "graceful $node $how"
	local t0; t0=$(now_ms)
	sampler_note "stop ($how) $node"
	check "stop ($how) of $node's daemon succeeds" rsc_stop "$node" "$how"
	sampler_note "stop command returned"
	check "$node's daemon is gone" hbt_wait_for 300 daemon_gone "$node"
	check "$peer runs everything" hbt_wait_for "$W_MOVE" owners_are "$peer" "$peer"
	check "$node: shutdown complete" log_since "$node" "${M[$node]}" "$node Heartbeat shutdown complete"
	hb_check "$peer" "$peer: Received shutdown notice from '$node'" \
		log_since "$peer" "${M[$peer]}" "Received shutdown notice from '$node'"
	check "client sees the VIP at $peer" hbt_wait_for 100 client_sees_vip_at "$peer"
	[ "$node" = node1 ] &&
		echo "# graceful ($how): VIP on $peer $(sampled_after "$peer=vip") ms after the stop command"
	# Let the peer declare the node dead first: a restart right after a
	# stop is not what this scenario is about.
	check "$peer declares $node dead (after deadtime)" \
		hbt_wait_for "$W_DEAD" log_since "$peer" "${M[$peer]}" "node $node: is dead"
	check "$peer began the takeover before it declared $node dead" \
		first_before "$peer" "${M[$peer]}" "Resources being acquired from $node" "node $node: is dead"
	hb_check "$peer" "$peer: Dead node $node gave up resources" \
		hbt_wait_for 50 log_since "$peer" "${M[$peer]}" "Dead node $node gave up resources"
	marks
	sampler_note "start the daemon on $node"
	check "daemon starts on $node again" rsc_start "$node"
	check "$node: Initial resource acquisition complete" \
		hbt_wait_for "$W_INITIAL" log_since "$node" "${M[$node]}" "Initial resource acquisition complete"
	if [ "$RSC_MODE" = off ]; then
		settle 2
		sampler_stop
		check "groups stay on $peer" owners_are "$peer" "$peer"
		no_double
		scenario_takeover "$node" local
	else
		check "A on node1, B on node2 again" hbt_wait_for "$W_MOVE" home
		sampler_stop
		no_double
	fi
}

# --- g. split brain ----------------------------------------------------------

one_owner_each() {
	case $(group_owner A) in node1|node2) ;; *) return 1 ;; esac
	case $(group_owner B) in node1|node2) ;; *) return 1 ;; esac
}
# holds_for TENTHS CMD...: CMD is true at every poll for TENTHS tenths.
holds_for() {
	local n=$1 i=0; shift
	while [ $i -lt "$n" ]; do "$@" || return 1; sleep 0.1; i=$((i + 1)); done
}
both_all() { [ "$(group_on node1 A)$(group_on node1 B)$(group_on node2 A)$(group_on node2 B)" = allallallall ]; }
settled_one_owner_each() { one_owner_each && holds_for 50 one_owner_each; }
# A standby cut by the heal must not leave a node "changing hands" for ever
# (heartbeat's hour), refusing every later standby and takeover.
no_hbd_in_transition() {
	local h
	for h in node1 node2; do
		is_hb "$h" && continue
		rscstatus_is "$h" transition && return 1
	done
	return 0
}

# scenario_split_brain NODE: cut NODE off past deadtime (both take
# everything), heal, and wait until each group has exactly one owner again.
scenario_split_brain() {
	local node=$1 peer; peer=$(peer_of "$1")
	scenario "g. split brain: $node cut off, then healed"
	marks
	sampler_start "split brain"
	local t0; t0=$(now_ms)
	sampler_note "cut $node"
	hbt_cut "$node"
	check "$node declares $peer dead" hbt_wait_for "$W_DEAD" log_since "$node" "${M[$node]}" "node $peer: is dead"
	check "$peer declares $node dead" hbt_wait_for "$W_DEAD" log_since "$peer" "${M[$peer]}" "node $node: is dead"
	check "both nodes run both groups" hbt_wait_for "$W_MOVE" both_all
	check "the VIP is on both nodes" test "$(vip_hosts)" = "node1 node2"
	local t_heal; t_heal=$(now_ms)
	echo "# split brain: $((t_heal - t0)) ms cut; healing"
	sampler_note "heal $node"
	hbt_heal "$node"
	both_logged "the peer returns after the partition" "Cluster node node[12] returning after partition" "$W_DEAD"
	if is_hb node1 && is_hb node2; then
		# heartbeat heals by giving everything up and restarting both
		# nodes; wait for that before judging the outcome.
		check "[hb] both nodes restart (heal by restart)" hbt_wait_for "$W_HEAL" \
			logged_on_both "Performing heartbeat restart exec"
		check "[hb] both nodes finish the fresh start" hbt_wait_for "$W_INITIAL" \
			logged_on_both "Initial resource acquisition complete"
		check "[hb] each node ends with its own group (A on node1, B on node2)" \
			hbt_wait_for "$W_MOVE" home
	fi
	check "each group has exactly one owner again (for 5 s)" hbt_wait_for "$W_HEAL" settled_one_owner_each
	check "no hbd node is left in transition (rscstatus)" hbt_wait_for "$W_MOVE" no_hbd_in_transition
	sampler_stop
	echo "# split brain heal: final $(state_line); samples=$SAMPLES double-samples=$DOUBLES"
	# The later scenarios start from home; heal leaves whatever the pairing
	# does, so bring it home where it is not (off, or hbd choosing otherwise).
	if ! home && nice_failback; then
		echo "# bringing the groups home with hb_takeover"
		case $(group_owner A) in node2) scenario_takeover node1 local ;; esac
		case $(group_owner B) in node1) scenario_takeover node2 local ;; esac
	fi
}

# --- h. failing start --------------------------------------------------------

fault() { : >"$(hbt_etc "$1")/rec-fault/$2"; }
unfault() { rm -f "$(hbt_etc "$1")/rec-fault/$2"; }

# restart_node NODE: orderly stop (-k), the peer declares it dead, start.
restart_node() {
	local node=$1 peer; peer=$(peer_of "$1")
	local m; m=$(log_mark "$peer")
	rsc_stop "$node" k && hbt_wait_for 300 daemon_gone "$node" &&
	hbt_wait_for "$W_DEAD" log_since "$peer" "$m" "node $node: is dead" &&
	rsc_start "$node" "${@:2}"
}

# back_home_after_restart NODE: restart NODE's daemon and get its group
# home (off: the peer took it when NODE stopped and keeps it, so an
# hb_takeover local brings it back).
back_home_after_restart() {
	local node=$1
	marks
	check "$node restarts" restart_node "$node"
	if [ "$RSC_MODE" = off ]; then
		check "$node: Initial resource acquisition complete" hbt_wait_for "$W_INITIAL" \
			log_since "$node" "${M[$node]}" "Initial resource acquisition complete"
		scenario_takeover "$node" local
	else
		check "groups home after the restart" hbt_wait_for "$W_INITIAL" home
	fi
}

# stopped_after_failed_start HOST MARK RES: since the mark, RES had a failed
# start followed by a successful stop.
stopped_after_failed_start() {
	rec_seq "$1" "$2" | sed -n "/^$3 start fail/,\$p" | grep -q "^$3 stop ok"
}

# scenario_failing_start: B1's start fails on node2 while node2 acquires B.
# on/off: node2 goes standby (node1 runs all), then hb_takeover local on
# node2; legacy: node2's daemon restarts (ip-request).  Asserts the give-up;
# records what happens 30 s later (heartbeat: hb_standby foreign).
scenario_failing_start() {
	scenario "h. B1 fails to start on node2"
	at_home
	marks
	if nice_failback; then
		check "hb_standby on node2" standby node2
		check "node1 runs everything" hbt_wait_for "$W_MOVE" owners_are node1 node1
		check "node1: Standby resource acquisition done" \
			hbt_wait_for "$W_MOVE" log_since node1 "${M[node1]}" "Standby resource acquisition done"
		fault node2 B1.start-fails
		marks
		check "hb_takeover local on node2" takeover node2 local
	else
		check "node2 stops (-k)" rsc_stop node2 k
		check "node1 runs everything" hbt_wait_for "$W_MOVE" owners_are node1 node1
		check "node1 declares node2 dead" \
			hbt_wait_for "$W_DEAD" log_since node1 "${M[node1]}" "node node2: is dead"
		fault node2 B1.start-fails
		marks
		check "daemon starts on node2" rsc_start node2
	fi
	local t0; t0=$(now_ms)
	check "node2: Giving up resources due to failure of rec::B1" \
		hbt_wait_for "$W_INITIAL" log_since node2 "${M[node2]}" "CRIT: Giving up resources due to failure of rec::B1"
	check "node2 tried to start B1 and it failed" rec_since node2 "${R[node2]}" "B1 start fail"
	check "node2 released B (a stop of B1 after the failed start)" \
		hbt_wait_for 100 stopped_after_failed_start node2 "${R[node2]}" B1
	check "node1 released B" hbt_wait_for "$W_MOVE" eval '[ "$(group_on node1 B)" = none ]'
	check "B runs nowhere, A on node1" hbt_wait_for "$W_MOVE" owners_are node1 none
	echo "# failing start: right after the give-up: $(state_line)"
	# heartbeat runs `hb_standby foreign` 30 s after the failure (§3.6).
	hb_check node2 "node2: 30 s later it asks to go standby [foreign]" \
		hbt_wait_for 450 log_since node2 "${M[node2]}" "Going standby \[foreign\]"
	if hb_applies node2; then
		if nice_failback; then
			hb_check node2 "node2 wants to go standby [foreign] (both logs)" \
				hbt_wait_for 100 logged_on_both "node2 wants to go standby \[foreign\]"
			hbt_wait_for 100 log_since node1 "${M[node1]}" "Standby resource acquisition done"
		else
			hb_check node2 "the standby is refused (legacy)" hbt_wait_for 100 \
				log_since node1 "${M[node1]}" "Standby mode only implemented when nice_failback on"
		fi
		settle 2
		hb_check node2 "[30 s later] B still runs nowhere, A on node1" owners_are node1 none
	fi
	echo "# failing start: $(( ($(now_ms) - t0) / 1000 )) s after the give-up: $(state_line)"
	# Clean up: no fault, node2 restarts and gets B back.
	unfault node2 B1.start-fails
	marks
	back_home_after_restart node2
}

# --- i. failing stop -----------------------------------------------------------

# scenario_failing_stop: A2's stop fails on node1 while node1 gives A up
# (on/off: hb_standby; legacy: SIGTERM).  The daemon retries, gives up and
# runs the reboot command, which inside the host is a recording stand-in;
# the test then power-cycles node1 as the reboot would.
scenario_failing_stop() {
	scenario "i. A2 fails to stop on node1"
	if ! reboot_is_fake node1; then
		skip "i. /sbin/reboot in node1 is not the recording stand-in: not safe to run"
		return
	fi
	check "node1's /sbin/reboot and /sbin/init are the recording stand-in" reboot_is_fake node1
	at_home
	fault node1 A2.stop-fails
	marks
	sampler_start "failing stop"
	if nice_failback; then
		check "hb_standby on node1" standby node1
	else
		check "SIGTERM to node1's daemon" rsc_stop node1 term
	fi
	check "node1: Retrying failed stop operation [rec::A2]" \
		hbt_wait_for "$W_MOVE" log_since node1 "${M[node1]}" "Retrying failed stop operation \[rec::A2\]"
	check "node1: Resource STOP failure. Reboot required!" \
		hbt_wait_for 400 log_since node1 "${M[node1]}" "CRIT: Resource STOP failure. Reboot required!"
	check "node1 ran its reboot command (recorded by the stand-in)" \
		hbt_wait_for 100 reboot_recorded node1 "reboot"
	hb_check node1 "node1: reboot -nf" reboot_recorded node1 "/sbin/reboot -nf"
	hb_check node1 "node1: heartbeat killed itself (kill -9)" \
		hbt_wait_for 50 log_since node1 "${M[node1]}" "CRIT: Killing heartbeat ungracefully!"
	check "node1 retried the stop of A2" \
		eval '[ "$(rec_seq node1 "${R[node1]}" | grep -c "^A2 stop fail")" -ge 2 ]'
	echo "# failing stop: $(rec_seq node1 "${R[node1]}" | grep -c '^A2 stop fail') failed stops of A2;" \
		"node1 still runs: $(sample_state; echo "$SAMPLE")"
	# The machine reboots: power off (losing the VIP and /run) at once.
	sampler_note "power off node1 (its reboot)"
	rsc_power_off node1
	check "node2 declares node1 dead" \
		hbt_wait_for "$W_DEAD" log_since node2 "${M[node2]}" "node node1: is dead"
	check "node2 runs everything" hbt_wait_for "$W_MOVE" owners_are node2 node2
	sampler_stop
	no_double
	unfault node1 A2.stop-fails
	scenario_return node1
}

# --- j. hanging start (hbd only) ----------------------------------------------

# scenario_hanging_start: B1's start hangs on node2; hbd (started with
# HBD_START_TIMEOUT) gives up after the timeout like after a failed start.
# heartbeat has no timeout and would block forever: skipped for it.
scenario_hanging_start() {
	if is_hb node2; then
		skip "j. hanging start: heartbeat has no start timeout (blocks forever)"
		return
	fi
	scenario "j. B1's start hangs on node2 (HBD_START_TIMEOUT=$RSC_START_TIMEOUT)"
	at_home
	marks
	check "node2 stops (-k)" rsc_stop node2 k
	check "node1 runs everything" hbt_wait_for "$W_MOVE" owners_are node1 node1
	check "node1 declares node2 dead" \
		hbt_wait_for "$W_DEAD" log_since node1 "${M[node1]}" "node node2: is dead"
	fault node2 B1.hang-start
	marks
	check "daemon starts on node2 with a start timeout" \
		rsc_start node2 "HBD_START_TIMEOUT=$RSC_START_TIMEOUT"
	[ "$RSC_MODE" = off ] && check "hb_takeover local on node2" \
		hbt_wait_for "$W_INITIAL" eval 'log_since node2 "${M[node2]}" "Initial resource acquisition complete" && takeover node2 local'
	check "node2's start of B1 hangs" hbt_wait_for "$W_INITIAL" rec_since node2 "${R[node2]}" "B1 start hang"
	check "node2 gives up after the timeout" \
		hbt_wait_for $(((RSC_START_TIMEOUT + 30) * 10)) \
		log_since node2 "${M[node2]}" "CRIT: Giving up resources due to failure of rec::B1"
	check "the hanging script was killed" \
		hbt_wait_for 100 not hbt_run node2 pgrep -f "sleep 3600"
	check "B runs nowhere, A on node1" hbt_wait_for "$W_MOVE" owners_are node1 none
	unfault node2 B1.hang-start
	back_home_after_restart node2
}
