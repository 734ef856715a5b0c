# Shared by the boot benchmarks (sourced). Needs PORT set.
# Fork-free timing and probing: on a 2-core VM a curl and a /bin/sleep forked every 5 ms slowed the
# boot they measured by 0.3–0.5 s.
now_ms() { local t=${EPOCHREALTIME/./}; echo "${t:0:-3}"; }
# GET /health over bash's /dev/tcp; true on a 200
health_ok() {
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$PORT" >&3
  local status=""
  read -r status <&3 || true
  exec 3<&-
  [[ $status == *" 200 "* ]]
}
# a 5 ms pause without forking /bin/sleep: a read that times out on a FIFO nobody writes
bench_tick_dir=$(mktemp -d)
mkfifo "$bench_tick_dir/tick"
exec 4<>"$bench_tick_dir/tick"
rm -rf "$bench_tick_dir"
tick() { read -r -t 0.005 -u 4 || true; }
