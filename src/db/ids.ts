const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type IdPrefix = "ten" | "mem" | "br" | "rt" | "rtf" | "tok" | "inv" | "aud" | "cl" | "itm" | "tsk" | "prj" | "log" | "iss" | "plg" | "plv" | "plu" | "ple" | "plr" | "rec" | "rev" | "iev" | "cmt" | "pwr" | "file" | "ivs" | "wle" | "wlx" | "wlc" | "wla" | "qst" | "ppr" | "att";

/**
 * `<prefix>_<ULID>`: 48 bits of milliseconds then 80 random bits, Crockford base32,
 * so ids sort by creation time and say what they name.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (const byte of random) rand += CROCKFORD[byte % 32];
  return `${prefix}_${time}${rand}`;
}
