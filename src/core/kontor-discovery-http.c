/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-discovery-http.c: the HTTP side of a discovery: requests through its
 * SoupSession that follow redirects only to https, and the RFC 6764 well-known
 * CalDAV and CardDAV URLs. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <libsoup/soup.h>

#include "kontor-discovery-private.h"
#include "kontor-error.h"

#define MAX_REDIRECTS 5

/* Depth 0 PROPFIND: a DAV server answers 207 or asks to authenticate (401), where a
 * web server that only redirects everything to its home page answers 405 or 404. */
#define PROPFIND_BODY                                                              \
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>"                                     \
  "<propfind xmlns=\"DAV:\"><prop><resourcetype/><current-user-principal/></prop>" \
  "</propfind>"

static gboolean
url_is_secure (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
         kontor_host_is_local (g_uri_get_host (uri));
}

/* HTTP: one request, its redirects followed by hand so that every hop goes through
 * the rewrite seam and none leaves https, and its body read up to a limit. */

static void
fetch_free (KontorDiscoveryFetch *fetch)
{
  g_free (fetch->method);
  g_free (fetch->url);
  g_free (fetch->buffer);
  g_clear_object (&fetch->stream);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

static void fetch_send (GTask *task);

static void
fetch_closed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  KontorDiscoveryFetch *fetch = g_task_get_task_data (task);

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  g_clear_object (&fetch->stream);

  if (fetch->error != NULL)
    {
      g_debug ("Discovery: %s %s: %s", fetch->method, fetch->url, fetch->error->message);
      g_task_return_error (task, g_steal_pointer (&fetch->error));
    }
  else if (g_task_return_error_if_cancelled (task))
    return;
  else if (fetch->follow)
    {
      fetch->follow = FALSE;
      fetch_send (g_steal_pointer (&task));
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
fetch_close (GTask *task)
{
  KontorDiscoveryFetch *fetch = g_task_get_task_data (task);

  g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                              fetch_closed_cb, task);
}

static void
fetch_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  KontorDiscoveryFetch *fetch = g_task_get_task_data (task);

  if (g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &fetch->n_read,
                                      &fetch->error) &&
      fetch->n_read > fetch->max_body)
    g_set_error (&fetch->error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                 "The answer of %s is larger than %" G_GSIZE_FORMAT " bytes", fetch->url,
                 fetch->max_body);
  fetch_close (task);
}

static void
fetch_sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  GTask *task = user_data;
  KontorDiscoveryFetch *fetch = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr (GError) error = NULL;
  const char *location;

  fetch->stream = soup_session_send_finish (session, result, &error);
  if (fetch->stream == NULL)
    {
      g_debug ("Discovery: %s %s failed: %s", fetch->method, fetch->url, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  fetch->status = soup_message_get_status (message);
  location = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
  g_debug ("Discovery: %s %s answered %u%s%s", fetch->method, fetch->url, fetch->status,
           location ? " to " : "", location ? location : "");

  if (SOUP_STATUS_IS_REDIRECTION (fetch->status) && fetch->status != SOUP_STATUS_NOT_MODIFIED &&
      location != NULL)
    {
      char *next =
        g_uri_resolve_relative (fetch->url, location, G_URI_FLAGS_ENCODED, &fetch->error);

      if (next != NULL && !url_is_secure (next))
        g_set_error (&fetch->error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
                     "%s redirects to %s, which is not https", fetch->url, next);
      else if (next != NULL && fetch->redirects >= MAX_REDIRECTS)
        g_set_error (&fetch->error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                     "%s redirects more than %u times", fetch->url, MAX_REDIRECTS);
      if (fetch->error == NULL)
        {
          g_free (fetch->url);
          fetch->url = next;
          fetch->redirects++;
          fetch->follow = TRUE;
        }
      else
        g_free (next);
    }
  else if (fetch->max_body > 0 && SOUP_STATUS_IS_SUCCESSFUL (fetch->status))
    {
      /* One byte more than allowed tells a body that is too large. */
      fetch->buffer = g_malloc (fetch->max_body + 1);
      g_input_stream_read_all_async (fetch->stream, fetch->buffer, fetch->max_body + 1,
                                     G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                     fetch_read_cb, task);
      return;
    }
  fetch_close (task);
}

static void
fetch_send (GTask *task)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  KontorDiscoveryFetch *fetch = g_task_get_task_data (task);
  g_autofree char *target = kontor_discovery_rewrite (self, fetch->url);
  g_autoptr (SoupMessage) message = soup_message_new (fetch->method, target);

  if (message == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               "“%s” is not a valid URL", target);
      g_object_unref (task);
      return;
    }

  g_debug ("Discovery: %s %s", fetch->method, fetch->url);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (g_str_equal (fetch->method, "PROPFIND"))
    {
      g_autoptr (GBytes) body = g_bytes_new_static (PROPFIND_BODY, strlen (PROPFIND_BODY));

      soup_message_headers_replace (soup_message_get_request_headers (message), "Depth", "0");
      soup_message_set_request_body_from_bytes (message, "application/xml; charset=utf-8", body);
    }
  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), fetch_sent_cb, task);
}

/* Calls back with a task whose data is the KontorDiscoveryFetch, for
 * kontor_discovery_fetch_finish() to lend. */
void
kontor_discovery_fetch_async (KontorDiscovery *self,
                              const char *method,
                              const char *url,
                              gsize max_body,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  KontorDiscoveryFetch *fetch = g_new0 (KontorDiscoveryFetch, 1);

  g_task_set_source_tag (task, kontor_discovery_fetch_async);
  fetch->method = g_strdup (method);
  fetch->url = g_strdup (url);
  fetch->max_body = max_body;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  fetch_send (task);
}

KontorDiscoveryFetch *
kontor_discovery_fetch_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, kontor_discovery_fetch_async), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

/* RFC 6764 well-known URI: the DAV context path is where the redirects end, if a DAV
 * server answers there. */
static void
well_known_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  KontorDiscoveryRun *run = kontor_discovery_op_get_run (op);
  g_autoptr (GError) error = NULL;
  KontorDiscoveryFetch *fetch = kontor_discovery_fetch_finish (result, &error);
  gboolean dav_answered;

  if (fetch != NULL)
    {
      dav_answered =
        fetch->status == SOUP_STATUS_MULTI_STATUS || fetch->status == SOUP_STATUS_UNAUTHORIZED;
      if (dav_answered || (fetch->redirects > 0 && (SOUP_STATUS_IS_SUCCESSFUL (fetch->status) ||
                                                    fetch->status == SOUP_STATUS_FORBIDDEN)))
        {
          g_debug ("Discovery: %s is at %s", kontor_discovery_dav_name (op->service), fetch->url);
          g_free (run->dav[op->service][op->index]);
          run->dav[op->service][op->index] = g_strdup (fetch->url);
        }
    }
  kontor_discovery_op_done (op);
}

void
kontor_discovery_start_well_known (GTask *task,
                                   KontorDiscoveryDavService service,
                                   KontorDiscoveryDavFrom from,
                                   const char *base)
{
  KontorDiscoveryRun *run = g_task_get_task_data (task);
  g_autofree char *url =
    g_strdup_printf ("%s/.well-known/%s", base, kontor_discovery_dav_name (service));
  KontorDiscoveryOp *op = kontor_discovery_op_new (task, service, from);

  kontor_discovery_fetch_async (g_task_get_source_object (task), "PROPFIND", url, 0,
                                run->cancellable, well_known_cb, op);
}
