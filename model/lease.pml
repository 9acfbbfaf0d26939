/*
 * lease.pml -- baton's client-side ZooKeeper lease against ZooKeeper 3.8's session touch path.
 *
 * One client session, one follower F (the server the client talks to), one ZooKeeper leader L.
 * Time is discrete: one unit = tickTime/2 (so TICK = 2 units). See docs/model.md for the scope,
 * the ZooKeeper source each rule is taken from, and the bounds.
 *
 * Configurations (scripts/model-check.sh runs all four):
 *   spin -a lease.pml               new basis ("relay proof" triple); expected: no violation
 *   spin -a -DCROSSCHECK lease.pml  also computes the basis literally from the whole history
 *                                   and asserts it equals the incremental one
 *   spin -a -DVACUITY lease.pml     probe: the client does get a lease and the session does
 *                                   expire later; expected: "violation" (reachable)
 *   spin -a -DOLD_BASIS lease.pml   old basis (newest answered forwarded request); expected:
 *                                   assertion violation (a counterexample)
 *
 * The property, checked after every step that can create a violation: it is never the case that
 * L has expired the session while the client still believes it leads.
 */

/* ---- parameters (time units; 1 unit = tickTime/2) ---- */
#ifndef TICK
#define TICK   2      /* tickTime; L's expiry buckets are rounded up to it */
#endif
#ifndef T
#define T      4      /* negotiated session timeout: 2 ticks, ZooKeeper's minimum */
#endif
#ifndef PGAP
#define PGAP   1      /* L queues a ping to F at least once in every unit (tickTime/2) */
#endif
#ifndef TAU
#define TAU    2      /* the client's tau: one full tickTime = PGAP + 1 unit (see docs) */
#endif
#ifndef M
#define M      1      /* client's margin: deadline = basis + T - M (client clock) */
#endif
#ifndef D
#define D      1      /* drift bound: over one lease the client clock lags true time <= D */
#endif
#ifndef H
#define H      10     /* horizon: no step happens at time >= H */
#endif
#ifndef NH
#define NH     6      /* at most NH answered requests per run */
#endif
#ifndef MAXF
#define MAXF   1      /* faults per run: cuts (either direction) and connection resets */
#endif
#ifndef CAP
#define CAP    4      /* packets held per direction; L overfilling its queue resets the link */
#endif
#define NONE   255

/* L -> F packets (one ordered queue: LearnerHandler.queuedPackets) */
#define L_PING     1  /* Leader.PING */
#define L_SYNC     2  /* Leader.SYNC: L's answer to a forwarded sync (or a write's COMMIT) */
#define L_CLOSE    3  /* COMMIT of the closeSession txn L proposes when it expires the session */
#define L_REVOK    4  /* Leader.REVALIDATE answer, session valid */
#define L_REVFAIL  5  /* Leader.REVALIDATE answer, session invalid */
/* F -> L packets (one ordered stream: Learner.writePacket) */
#define F_PINGR0   1  /* ping reply, touch snapshot empty */
#define F_PINGR1   2  /* ping reply, touch snapshot holds the session */
#define F_SYNC     3  /* Leader.REQUEST carrying the forwarded sync */
#define F_REVAL    4  /* Leader.REVALIDATE */

chan lf = [CAP] of { byte };
chan fl = [CAP] of { byte };

byte now = 0;

/* ---- L ---- */
byte lastPing = 0;        /* when L last queued a ping to F */
byte lexp;                /* expiry time in L's ExpiryQueue */
bool expired = false;     /* L expired the session (ephemerals go, a successor may lead) */

/* ---- F ---- */
bool ftouch = false;      /* the session is in F's touch table */
bool fpend = false;       /* F has the client's sync forwarded and waits for L_SYNC */

/* ---- client <-> F connection ---- */
bool cconn = true;        /* the client has a live connection to F (session established) */
byte cst = 0;             /* 0 idle, 1 sync forwarded, waiting at F for L_SYNC,
                             2 reconnecting: REVALIDATE sent to L */
byte cS;                  /* client send time of the outstanding request */
byte lastSend = NONE;     /* at most one send per time unit */

/* ---- client lease bookkeeping ---- */
byte basis = NONE;        /* lease basis in client time; the client leads while LEADING holds */
byte nh = 0;              /* answers recorded so far */
#ifndef OLD_BASIS
/* The relay-proof basis is computed incrementally. Requests are sequential (one outstanding),
   so send and answer times grow along the history, and an answered request i can only be
   the "i" of a future triple (j and k not yet sent, S_j >= now, S_k >= now):
     p1      max S_i over i that already have their j (i answered, j forwarded and answered,
             S_j >= A_i + TAU); any later answered forwarded request is a valid k for them;
     oS      S of the newest answer with A <= (time of the last answer) - TAU: it is eligible
             for every future j, and it dominates every older answer;
     wS/wA   the answers newer than that (at most W of them).
   -DCROSSCHECK also keeps the whole history and asserts that the literal definition gives
   the same basis. */
#define W 3
byte p1 = NONE;
byte oS = NONE;
byte wn = 0;
byte wS[W];
byte wA[W];
#ifdef CROSSCHECK
byte hS[NH];
byte hA[NH];
bool hF[NH];
byte xbasis = NONE;
#endif
#endif

byte nf = 0;              /* faults so far */
bool cutLF = false;       /* L->F held: F's reader stalls (also stands for a paused F) */
bool cutFL = false;       /* F->L held: L's reader of F's stream stalls */

#define ROUNDUP(t)   ((((t) / TICK) + 1) * TICK)     /* ExpiryQueue.roundToNextInterval */
#define LEADING      (basis != NONE && now < basis + T - M + D)
#ifdef VACUITY
/* non-vacuity probe: the client gets a lease and the session later expires at L (after the
   lease ran out); spin must find this "violation" */
#define CHECK        assert(!(expired && basis != NONE))
#else
#define CHECK        assert(!(expired && LEADING))
#endif

/* The F-L connection resets: both queues are lost, F's server restarts (its touch table and
   pending syncs are lost) and F closes its client connections (Learner.shutdown ->
   closeAllConnections). F rejoins at once, so L pings a fresh handler from now on. */
inline reset_fl() {
  do
  :: nempty(lf) -> lf?_
  :: empty(lf) -> break
  od;
  do
  :: nempty(fl) -> fl?_
  :: empty(fl) -> break
  od;
  ftouch = false;
  fpend = false;
  cconn = false;
  cst = 0;
  cutLF = false;
  cutFL = false;
  lastPing = now
}

/* L queues a packet to F; a full queue stands for a connection the model no longer follows,
   so it resets (see docs/model.md). */
inline lsend(m) {
  if
  :: nfull(lf) -> lf!m
  :: full(lf) -> reset_fl()
  fi
}

inline touchL() {
  if
  :: !expired -> lexp = ROUNDUP(now + T)
  :: else -> skip
  fi
}

#define MAXNN(a, b)  (((a) == NONE) -> (b) : (((b) == NONE) -> (a) : (((a) > (b)) -> (a) : (b))))

/* the client recorded an answer (send time cS, answer time now) */
inline answered(fwd) {
#ifdef OLD_BASIS
  if
  :: fwd -> basis = cS
  :: else -> skip
  fi;
#else
  if
  :: fwd ->
     /* as k: every i that already has its j */
     basis = MAXNN(basis, p1);
     /* as j: the newest answer i with A_i + TAU <= S_j */
     if
     :: oS != NONE && cS >= TAU -> p1 = MAXNN(p1, oS)   /* A_oS <= (earlier answer) - TAU */
     :: else -> skip
     fi;
     x = 0;
     do
     :: x < wn -> if :: wA[x] + TAU <= cS -> p1 = MAXNN(p1, wS[x]) :: else -> skip fi; x++
     :: else -> break
     od
  :: else -> skip
  fi;
  /* move out of the window what every future j can use, then add this answer */
  do
  :: wn > 0 && wA[0] + TAU <= now ->
     oS = wS[0];
     wS[0] = wS[1]; wA[0] = wA[1]; wS[1] = wS[2]; wA[1] = wA[2]; wS[2] = 0; wA[2] = 0;
     wn--
  :: else -> break
  od;
  assert(wn < W);
  wS[wn] = cS; wA[wn] = now; wn++;
  x = 0;
  /* forget what can no longer raise the basis (keeps equal states equal) */
  if :: basis != NONE && p1 != NONE && p1 <= basis -> p1 = NONE :: else -> skip fi;
  if :: basis != NONE && oS != NONE && oS <= basis -> oS = NONE :: else -> skip fi;
  do
  :: basis != NONE && wn > 0 && wS[0] <= basis ->
     wS[0] = wS[1]; wA[0] = wA[1]; wS[1] = wS[2]; wA[1] = wA[2]; wS[2] = 0; wA[2] = 0;
     wn--
  :: else -> break
  od;
#ifdef CROSSCHECK
  /* literal definition, over the whole history: only triples whose k is this answer are new */
  hS[nh] = cS; hA[nh] = now; hF[nh] = fwd;
  if
  :: fwd ->
     x = 0;
     do
     :: x < nh ->
        y = x + 1;
        do
        :: y < nh ->
           if
           :: hF[y] && hS[y] >= hA[x] + TAU && cS >= hA[y] -> xbasis = MAXNN(xbasis, hS[x])
           :: else -> skip
           fi;
           y++
        :: else -> break
        od;
        x++
     :: else -> break
     od;
     x = 0; y = 0
  :: else -> skip
  fi;
  assert(xbasis == basis);
#endif
#endif
  nh++;
  CHECK
}

active proctype world() {
#ifndef OLD_BASIS
  byte x, y;
#endif
  lexp = ROUNDUP(0 + T);   /* the session was created (and touched) at time 0 */
end_run:
  do
  /* ---------------- time ---------------- */
  /* time may pass unless L owes F a ping or the session's bucket is due */
  /* and unless a queue that is not cut still holds packets: a link that is not cut
     delivers within the unit (a cut holds its packets, as TCP does, until healed) */
  :: atomic { now + 1 < H && now - lastPing < PGAP && (expired || now < lexp) &&
              (cutLF || empty(lf) || (lf?[L_PING] && full(fl))) && (cutFL || empty(fl)) ->
              now++ }
  /* stop at the horizon, or once nothing can change the verdict any more */
  :: atomic { now + 1 >= H || (expired && !cconn) -> break }

  /* ---------------- L ---------------- */
  /* Leader.lead -> LearnerHandler.ping: a PING into F's ordered queue */
  :: atomic { now - lastPing >= 1 -> lastPing = now; lsend(L_PING) }
  /* SessionTrackerImpl.run: the bucket is due; closeSession is proposed and committed */
  :: atomic { !expired && now >= lexp -> expired = true; lsend(L_CLOSE); CHECK }
  /* LearnerHandler.run reads F's packets in order */
  :: atomic { !cutFL && fl?[F_PINGR0] -> fl?_ }
  :: atomic { !cutFL && fl?[F_PINGR1] -> fl?_; touchL() }
  /* a forwarded sync: PrepRequestProcessor only checks the session; Leader.processSync */
  :: atomic { !cutFL && fl?[F_SYNC] -> fl?_; lsend(L_SYNC) }
  /* Leader.revalidateSession -> checkIfValidGlobalSession touches the session */
  :: atomic { !cutFL && fl?[F_REVAL] -> fl?_;
       if
       :: !expired -> touchL(); lsend(L_REVOK)
       :: else -> lsend(L_REVFAIL)
       fi }
  /* fault: the F-L connection drops */
  /* faults: the F-L connection drops; either direction is cut (held) or healed */
  :: atomic { nf < MAXF -> nf++; reset_fl() }
  :: atomic { nf < MAXF && !cutLF -> nf++; cutLF = true }
  :: atomic { nf < MAXF && !cutFL -> nf++; cutFL = true }
  :: atomic { cutLF -> cutLF = false }
  :: atomic { cutFL -> cutFL = false }

  /* ---------------- F: Follower.processPacket, in order ---------------- */
  /* Learner.ping: reply with the touch snapshot (and clear it) */
  :: atomic { !cutLF && lf?[L_PING] && nfull(fl) -> lf?_;
       if
       :: ftouch -> fl!F_PINGR1
       :: else -> fl!F_PINGR0
       fi;
       ftouch = false }
  /* FollowerZooKeeperServer.sync: the oldest pending sync is answered */
  :: atomic { !cutLF && lf?[L_SYNC] -> lf?_;
       if
       :: fpend -> fpend = false; if :: cst == 1 -> cst = 0; answered(true) :: else -> skip fi
       :: else -> skip
       fi }
  /* the closeSession commit: F closes the client's connection */
  :: atomic { !cutLF && lf?[L_CLOSE] -> lf?_; cconn = false; cst = 0; fpend = false }
  :: atomic { !cutLF && lf?[L_REVOK] -> lf?_; if :: cst == 2 -> cst = 0; cconn = true :: else -> skip fi }
  :: atomic { !cutLF && lf?[L_REVFAIL] -> lf?_; if :: cst == 2 -> break :: else -> skip fi }

  /* ---------------- client (its packets reach F at once; see docs) ---------------- */
  /* a read, or the C client's own ping: F touches it and answers it locally */
  :: atomic { cconn && cst == 0 && nh < NH && lastSend != now ->
       lastSend = now; cS = now; ftouch = true; answered(false) }
  /* a sync (a write goes the same way): F touches it and forwards it to L */
  :: atomic { cconn && cst == 0 && nh < NH && lastSend != now && nfull(fl) ->
       lastSend = now; cS = now; ftouch = true; fl!F_SYNC; fpend = true; cst = 1 }
  /* reconnect (to F again, or any other server: the same REVALIDATE path) */
  :: atomic { !cconn && cst == 0 && nfull(fl) -> fl!F_REVAL; cst = 2 }
  od
}
