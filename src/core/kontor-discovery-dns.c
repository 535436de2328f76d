/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-discovery-dns.c: the DNS steps of a discovery: SRV records for IMAP and
 * submission (RFC 6186, RFC 8314), SRV and TXT records for CalDAV and CardDAV
 * (RFC 6764), whether the guessed hosts resolve, and the openDesk preset's TCP probes. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-discovery-private.h"

/* "https://host" or "https://host:port", without the default port. */
static char *
https_base (const char *host, guint16 port)
{
  if (port == 0 || port == 443)
    return g_strdup_printf ("https://%s", host);
  return g_strdup_printf ("https://%s:%u", host, port);
}

/* The first usable target of an SRV lookup, in priority and weight order; NULL when
 * there is none or the service is explicitly not offered (target "."). */
static GSrvTarget *
srv_lookup_finish (GResolver *resolver, GAsyncResult *result, const char *what)
{
  g_autoptr (GError) error = NULL;
  GList *targets = g_resolver_lookup_service_finish (resolver, result, &error);
  GSrvTarget *target = NULL;

  if (error != NULL)
    {
      g_debug ("Discovery: no SRV record %s: %s", what, error->message);
      return NULL;
    }
  targets = g_srv_target_list_sort (targets);
  if (targets != NULL && !g_str_equal (g_srv_target_get_hostname (targets->data), "."))
    target = g_srv_target_copy (targets->data);
  g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);
  g_debug ("Discovery: SRV %s is %s:%u", what, target ? g_srv_target_get_hostname (target) : ".",
           target ? g_srv_target_get_port (target) : 0);
  return target;
}

/* DNS names may end in the root's dot; hosts in settings do not. */
static char *
srv_target_dup_host (GSrvTarget *target)
{
  const char *hostname = g_srv_target_get_hostname (target);
  gsize length = strlen (hostname);

  if (length > 1 && hostname[length - 1] == '.')
    length--;
  return g_ascii_strdown (hostname, length);
}

static void
mail_srv_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  static const char *const names[N_MAIL][2] = { { "_imaps._tcp", "_imap._tcp" },
                                                { "_submissions._tcp", "_submission._tcp" } };
  KontorDiscoveryOp *op = user_data;
  KontorDiscoveryRun *run = kontor_discovery_op_get_run (op);
  g_autofree char *what = g_strdup_printf ("%s.%s", names[op->service][op->index], run->domain);
  GSrvTarget *target = srv_lookup_finish (G_RESOLVER (object), result, what);

  if (target != NULL && g_srv_target_get_port (target) != 0)
    {
      g_autofree char *host = srv_target_dup_host (target);

      run->srv[op->service][op->index] = kontor_discovery_server_new (
        host, g_srv_target_get_port (target),
        op->index == 0 ? KONTOR_SECURITY_TLS : KONTOR_SECURITY_STARTTLS);
    }
  g_clear_pointer (&target, g_srv_target_free);
  kontor_discovery_op_done (op);
}

void
kontor_discovery_start_mail_srv (GTask *task, KontorDiscoveryMailService service, guint index)
{
  static const char *const services[N_MAIL][2] = { { "imaps", "imap" },
                                                   { "submissions", "submission" } };
  KontorDiscovery *self = g_task_get_source_object (task);
  KontorDiscoveryRun *run = g_task_get_task_data (task);
  KontorDiscoveryOp *op = kontor_discovery_op_new (task, service, index);

  g_resolver_lookup_service_async (self->resolver, services[service][index], "tcp", run->domain,
                                   run->cancellable, mail_srv_cb, op);
}

static void
guess_resolved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  KontorDiscoveryRun *run = kontor_discovery_op_get_run (op);
  g_autoptr (GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);

  if (addresses != NULL)
    g_debug ("Discovery: %s resolves", op->host);
  else
    g_debug ("Discovery: %s does not resolve: %s", op->host, error->message);
  if (op->index < N_MAIL)
    run->guess_resolves[op->index] = addresses != NULL;
  else
    run->domain_not_found = g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_resolver_free_addresses (addresses);
  kontor_discovery_op_done (op);
}

/* index: MAIL_IMAP, MAIL_SMTP for the guessed hosts, N_MAIL for the domain itself */
void
kontor_discovery_start_guess (GTask *task, guint index, const char *host)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  KontorDiscoveryRun *run = g_task_get_task_data (task);
  KontorDiscoveryOp *op = kontor_discovery_op_new (task, 0, index);

  op->host = g_strdup (host);
  g_resolver_lookup_by_name_async (self->resolver, host, run->cancellable, guess_resolved_cb, op);
}

static void
dav_txt_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  KontorDiscoveryRun *run = kontor_discovery_op_get_run (op);
  g_autoptr (GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  g_autofree char *base = https_base (op->host, op->port);

  for (GList *l = records; l != NULL && run->dav[op->service][DAV_FROM_SRV_TXT] == NULL;
       l = l->next)
    {
      g_autofree const char **strings = NULL;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(as)")))
        continue;
      g_variant_get (l->data, "(^a&s)", &strings);
      for (guint i = 0; strings[i] != NULL; i++)
        if (g_str_has_prefix (strings[i], "path=/"))
          {
            run->dav[op->service][DAV_FROM_SRV_TXT] =
              g_strconcat (base, strings[i] + strlen ("path="), NULL);
            g_debug ("Discovery: TXT names %s", run->dav[op->service][DAV_FROM_SRV_TXT]);
            break;
          }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (run->dav[op->service][DAV_FROM_SRV_TXT] == NULL)
    {
      run->dav[op->service][DAV_FROM_SRV_ROOT] = g_strconcat (base, "/", NULL);
      if (!g_cancellable_is_cancelled (run->cancellable))
        kontor_discovery_start_well_known (op->task, op->service, DAV_FROM_SRV_WELL_KNOWN, base);
    }
  kontor_discovery_op_done (op);
}

static void
dav_srv_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  KontorDiscoveryRun *run = kontor_discovery_op_get_run (op);
  g_autofree char *what =
    g_strdup_printf ("_%ss._tcp.%s", kontor_discovery_dav_name (op->service), run->domain);
  GSrvTarget *target = srv_lookup_finish (G_RESOLVER (object), result, what);

  if (target != NULL && g_srv_target_get_port (target) != 0)
    {
      op->host = srv_target_dup_host (target);
      op->port = g_srv_target_get_port (target);
      g_resolver_lookup_records_async (G_RESOLVER (object), what, G_RESOLVER_RECORD_TXT,
                                       run->cancellable, dav_txt_cb, op);
      g_srv_target_free (target);
      return;
    }
  g_clear_pointer (&target, g_srv_target_free);
  kontor_discovery_op_done (op);
}

void
kontor_discovery_start_dav_srv (GTask *task, KontorDiscoveryDavService service)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  KontorDiscoveryRun *run = g_task_get_task_data (task);
  g_autofree char *name = g_strconcat (kontor_discovery_dav_name (service), "s", NULL);
  KontorDiscoveryOp *op = kontor_discovery_op_new (task, service, 0);

  g_resolver_lookup_service_async (self->resolver, name, "tcp", run->domain, run->cancellable,
                                   dav_srv_cb, op);
}

/* openDesk: TCP probes of the candidate hosts. A candidate exists when it resolves,
 * and is picked when it accepts a connection; the first in order wins. */

static void
probe_group_check (KontorDiscoveryProbeGroup *group)
{
  for (guint i = 0; i < N_CANDIDATES; i++)
    {
      if (group->states[i] == PROBE_PENDING)
        return;
      if (group->states[i] == PROBE_CONNECTED)
        {
          /* Nothing later in the order can win any more. */
          g_cancellable_cancel (group->cancellable);
          return;
        }
    }
}

static void
probe_finish (KontorDiscoveryOp *op, KontorDiscoveryProbeState state, const char *reason)
{
  KontorDiscoveryProbeGroup *group = &kontor_discovery_op_get_run (op)->groups[op->service];

  g_debug ("Discovery: probe of %s:%u: %s", group->hosts[op->index], group->port, reason);
  group->states[op->index] = state;
  probe_group_check (group);
  kontor_discovery_op_done (op);
}

static void probe_connect_next (KontorDiscoveryOp *op);

static void
probe_connected_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection != NULL)
    probe_finish (op, PROBE_CONNECTED, "connected");
  else if (op->next_address == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    probe_finish (op, PROBE_FAILED, error->message);
  else
    probe_connect_next (op);
}

static void
probe_connect_next (KontorDiscoveryOp *op)
{
  KontorDiscovery *self = kontor_discovery_op_get_discovery (op);
  KontorDiscoveryProbeGroup *group = &kontor_discovery_op_get_run (op)->groups[op->service];
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (op->next_address->data, op->port);

  op->next_address = op->next_address->next;
  g_socket_client_connect_async (self->socket_client, G_SOCKET_CONNECTABLE (address),
                                 group->cancellable, probe_connected_cb, op);
}

static void
probe_target_resolved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  g_autoptr (GError) error = NULL;

  op->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (op->addresses == NULL)
    {
      probe_finish (op, PROBE_FAILED, error->message);
      return;
    }
  op->next_address = op->addresses;
  probe_connect_next (op);
}

static void
probe_exists_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  KontorDiscovery *self = kontor_discovery_op_get_discovery (op);
  KontorDiscoveryProbeGroup *group = &kontor_discovery_op_get_run (op)->groups[op->service];
  g_autoptr (GError) error = NULL;
  g_autofree char *probed = NULL;
  g_autofree char *target = NULL;
  g_autoptr (GSocketConnectable) connectable = NULL;

  op->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (op->addresses == NULL)
    {
      probe_finish (op,
                    g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)
                      ? PROBE_NOT_FOUND
                      : PROBE_FAILED,
                    error->message);
      return;
    }

  probed = g_strdup_printf ("%s:%u", group->hosts[op->index], group->port);
  target = kontor_discovery_rewrite (self, probed);
  if (g_str_equal (target, probed))
    {
      op->next_address = op->addresses;
      probe_connect_next (op);
      return;
    }

  /* The candidate exists; the seam only changes where the probe connects. */
  connectable = g_network_address_parse (target, group->port, &error);
  if (connectable == NULL)
    {
      probe_finish (op, PROBE_FAILED, error->message);
      return;
    }
  g_clear_pointer (&op->addresses, g_resolver_free_addresses);
  op->port = g_network_address_get_port (G_NETWORK_ADDRESS (connectable));
  g_resolver_lookup_by_name_async (self->resolver,
                                   g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)),
                                   group->cancellable, probe_target_resolved_cb, op);
}

void
kontor_discovery_start_probe (GTask *task, KontorDiscoveryMailService service, guint index)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  KontorDiscoveryRun *run = g_task_get_task_data (task);
  KontorDiscoveryProbeGroup *group = &run->groups[service];
  KontorDiscoveryOp *op = kontor_discovery_op_new (task, service, index);

  op->port = group->port;
  g_debug ("Discovery: probing %s:%u", group->hosts[index], group->port);
  g_resolver_lookup_by_name_async (self->resolver, group->hosts[index], group->cancellable,
                                   probe_exists_cb, op);
}
