/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-discovery-private.h: what the discovery's files share: the object, one
 * discovery's run and its steps. kontor-discovery.c starts the steps and merges what
 * they find; the autoconfig, DNS and HTTP steps live in their own files. */
#pragma once

#include <libsoup/soup.h>

#include "kontor-discovery.h"

G_BEGIN_DECLS

struct _KontorDiscovery
{
  GObject parent_instance;

  /* Owned */
  SoupSession *session;
  GSocketClient *socket_client;
  GResolver *resolver;
  KontorDiscoveryRewriteFunc rewrite_func;
  gpointer rewrite_data;
  GDestroyNotify rewrite_destroy;
  guint timeout;
};

typedef enum
{
  MAIL_IMAP,
  MAIL_SMTP,
  N_MAIL
} KontorDiscoveryMailService;

typedef enum
{
  DAV_CALDAV,
  DAV_CARDDAV,
  N_DAV
} KontorDiscoveryDavService;

/* Where a DAV URL came from, best first (RFC 6764, section 6). */
typedef enum
{
  DAV_FROM_SRV_TXT,
  DAV_FROM_SRV_WELL_KNOWN,
  DAV_FROM_WELL_KNOWN,
  DAV_FROM_SRV_ROOT,
  N_DAV_FROM
} KontorDiscoveryDavFrom;

typedef enum
{
  PROBE_PENDING,
  PROBE_CONNECTED,
  PROBE_FAILED,
  PROBE_NOT_FOUND,
} KontorDiscoveryProbeState;

#define N_AUTOCONFIG 2
#define N_CANDIDATES 3

static inline const char *
kontor_discovery_dav_name (KontorDiscoveryDavService service)
{
  return service == DAV_CALDAV ? "caldav" : "carddav";
}

typedef struct
{
  char *host;
  guint16 port;
  KontorSecurity security;
  char *username; /* autoconfig only; NULL means the e-mail address */
} KontorDiscoveryServer;

/* The openDesk candidates for one service, probed at once, picked in order. */
typedef struct
{
  GCancellable *cancellable;
  char *hosts[N_CANDIDATES];
  KontorDiscoveryProbeState states[N_CANDIDATES];
  guint16 port;
} KontorDiscoveryProbeGroup;

typedef struct
{
  GTask *task; /* unowned: the task owns the run */
  char *email;
  char *local_part;
  char *domain;
  gboolean opendesk;

  /* Cancelled by the caller's cancellable (through cancelled_source) and by the deadline */
  GCancellable *cancellable;
  GSource *cancelled_source;
  GSource *deadline_source;
  GSource *probe_deadline_source;
  guint pending;

  KontorDiscoveryServer *autoconfig[N_AUTOCONFIG][N_MAIL];
  KontorDiscoveryServer *srv[N_MAIL][2]; /* implicit TLS (RFC 8314), then STARTTLS (RFC 6186) */
  gboolean guess_resolves[N_MAIL];
  gboolean domain_not_found;
  char *dav[N_DAV][N_DAV_FROM];
  KontorDiscoveryProbeGroup groups[N_MAIL];
} KontorDiscoveryRun;

/* One step of a discovery: holds the discovery's task until it calls
 * kontor_discovery_op_done(). */
typedef struct
{
  GTask *task;
  guint service;
  guint index;
  char *host;
  guint16 port;
  GList *addresses;
  GList *next_address;
} KontorDiscoveryOp;

/* One HTTP request of a discovery, with its redirects and its body. */
typedef struct
{
  char *method;
  char *url; /* the current URL as the user's domain names it, not as rewritten */
  guint redirects;
  guint status;
  gsize max_body;
  guint8 *buffer;
  gsize n_read;
  GInputStream *stream;
  GError *error;
  gboolean follow; /* the stream is being closed to follow a redirect */
} KontorDiscoveryFetch;

/* kontor-discovery.c */
KontorDiscoveryServer *
kontor_discovery_server_new (const char *host, guint16 port, KontorSecurity security);
void kontor_discovery_server_free (KontorDiscoveryServer *server);
char *kontor_discovery_rewrite (KontorDiscovery *self, const char *uri);
KontorDiscoveryOp *kontor_discovery_op_new (GTask *task, guint service, guint index);
void kontor_discovery_op_done (KontorDiscoveryOp *op);
KontorDiscovery *kontor_discovery_op_get_discovery (KontorDiscoveryOp *op);
KontorDiscoveryRun *kontor_discovery_op_get_run (KontorDiscoveryOp *op);

/* kontor-discovery-autoconfig.c */
void kontor_discovery_start_autoconfig (GTask *task, guint index, const char *url_format);

/* kontor-discovery-dns.c */
void kontor_discovery_start_mail_srv (GTask *task, KontorDiscoveryMailService service, guint index);
void kontor_discovery_start_guess (GTask *task, guint index, const char *host);
void kontor_discovery_start_dav_srv (GTask *task, KontorDiscoveryDavService service);
void kontor_discovery_start_probe (GTask *task, KontorDiscoveryMailService service, guint index);

/* kontor-discovery-http.c */
void kontor_discovery_fetch_async (KontorDiscovery *self,
                                   const char *method,
                                   const char *url,
                                   gsize max_body,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
KontorDiscoveryFetch *kontor_discovery_fetch_finish (GAsyncResult *result, GError **error);
void kontor_discovery_start_well_known (GTask *task,
                                        KontorDiscoveryDavService service,
                                        KontorDiscoveryDavFrom from,
                                        const char *base);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorDiscoveryServer, kontor_discovery_server_free)

G_END_DECLS
