/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lazy-interface.c: KontorLazyInterface on the session bus, called by this
 * process itself: visible before it is loaded, loaded once on first use, calls
 * queued during the load all answered, a failed load retried, the skeleton in the
 * stub's place afterwards. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include "kontor-core.h"
#include "kontor-lazy-interface.h"
#include "test-lazy-interface-generated.h"

#define INTERFACE "io.github.kontor.LazyTest1"

typedef struct
{
  GDBusConnection *connection;
  KontorLazyInterface *lazy;
  char *path;
  guint n_loads;
  guint n_failures; /* the loader fails this many times before it works */
  guint n_echoed;   /* Echoed signals received */
  guint n_expected; /* the loader waits for this many Echo calls to arrive */
  int n_arrived;    /* Echo calls seen coming in, by the connection's thread */
} Fixture;

static gboolean
handle_echo_cb (KontorTestLazyTest1 *skeleton,
                GDBusMethodInvocation *invocation,
                const char *text,
                Fixture *f)
{
  kontor_test_lazy_test1_emit_echoed (skeleton, text);
  kontor_test_lazy_test1_complete_echo (skeleton, invocation, text);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GDBusInterfaceSkeleton *
load_cb (gpointer user_data, GError **error)
{
  Fixture *f = user_data;
  KontorTestLazyTest1 *skeleton;

  if (f->n_failures > 0)
    {
      f->n_failures--;
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED, "Not yet");
      return NULL;
    }

  /* A slow load, during which calls come in and are queued for the stub. */
  while (g_atomic_int_get (&f->n_arrived) < (int) f->n_expected)
    g_usleep (1000);
  if (f->n_expected > 0)
    g_usleep (50000);

  f->n_loads++;
  skeleton = kontor_test_lazy_test1_skeleton_new ();
  kontor_test_lazy_test1_set_loads (skeleton, f->n_loads);
  g_signal_connect (skeleton, "handle-echo", G_CALLBACK (handle_echo_cb), f);
  return G_DBUS_INTERFACE_SKELETON (skeleton);
}

static void
echoed_cb (GDBusConnection *connection,
           const char *sender,
           const char *path,
           const char *interface,
           const char *signal,
           GVariant *parameters,
           gpointer user_data)
{
  Fixture *f = user_data;

  f->n_echoed++;
}

static GDBusMessage *
count_arrivals_cb (GDBusConnection *connection,
                   GDBusMessage *message,
                   gboolean incoming,
                   gpointer user_data)
{
  Fixture *f = user_data;

  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_member (message), "Echo") == 0)
    g_atomic_int_inc (&f->n_arrived);
  return message;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static guint n_paths = 0;
  g_autoptr (GError) error = NULL;

  f->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  /* A path of its own per test: unexported interfaces leave nothing behind. */
  f->path = g_strdup_printf ("/io/github/kontor/LazyTest/%u", ++n_paths);
  f->lazy = kontor_lazy_interface_new (kontor_test_lazy_test1_interface_info (), load_cb, f, NULL);
  kontor_lazy_interface_export (f->lazy, f->connection, f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->lazy);
  g_clear_object (&f->connection);
  g_free (f->path);
}

static void
call_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Calls on this connection's own name, and waits for the reply. */
static GVariant *
call (Fixture *f, const char *interface, const char *method, GVariant *args, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  g_dbus_connection_call (f->connection, g_dbus_connection_get_unique_name (f->connection), f->path,
                          interface, method, args, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          call_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_dbus_connection_call_finish (f->connection, result, error);
}

static char *
echo (Fixture *f, const char *text, GError **error)
{
  g_autoptr (GVariant) reply = call (f, INTERFACE, "Echo", g_variant_new ("(s)", text), error);
  char *answer = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(s)", &answer);
  return answer;
}

static void
test_introspect (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply =
    call (f, "org.freedesktop.DBus.Introspectable", "Introspect", NULL, &error);
  const char *xml;

  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  g_assert_nonnull (strstr (xml, "<interface name=\"" INTERFACE "\">"));
  g_assert_nonnull (strstr (xml, "<method name=\"Echo\">"));
  g_assert_cmpuint (f->n_loads, ==, 0);
  g_assert_null (kontor_lazy_interface_get_skeleton (f->lazy));
}

/* Until the skeleton stands on the path itself. */
static void
wait_swapped (Fixture *f)
{
  GDBusInterfaceSkeleton *skeleton = kontor_lazy_interface_get_skeleton (f->lazy);

  g_assert_nonnull (skeleton);
  while (g_dbus_interface_skeleton_get_connection (skeleton) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_dbus_interface_skeleton_get_object_path (skeleton), ==, f->path);
}

static void
test_call (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint subscription;

  first = echo (f, "hello", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "hello");
  g_assert_cmpuint (f->n_loads, ==, 1);

  /* Once the skeleton is on the path, its signals are sent. */
  wait_swapped (f);
  subscription =
    g_dbus_connection_signal_subscribe (f->connection, NULL, INTERFACE, "Echoed", f->path, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, echoed_cb, f, NULL);
  second = echo (f, "again", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "again");
  g_assert_cmpuint (f->n_loads, ==, 1);
  while (f->n_echoed < 1)
    g_main_context_iteration (NULL, TRUE);

  g_dbus_connection_signal_unsubscribe (f->connection, subscription);
}

static void
test_property (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = call (f, "org.freedesktop.DBus.Properties", "Get",
                                     g_variant_new ("(ss)", INTERFACE, "Loads"), &error);
  g_autoptr (GVariant) value = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  g_assert_cmpuint (g_variant_get_uint32 (value), ==, 1);
  g_assert_cmpuint (f->n_loads, ==, 1);
}

static void
test_queued (Fixture *f, gconstpointer data)
{
  GAsyncResult *results[5] = { NULL };
  guint n_done = 0;
  guint filter;

  /* All arrive while the loader runs, so all are queued for the stub: the skeleton
   * must answer them, not GDBus with "No such interface". */
  filter = g_dbus_connection_add_filter (f->connection, count_arrivals_cb, f, NULL);
  f->n_expected = G_N_ELEMENTS (results);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_dbus_connection_call (f->connection, g_dbus_connection_get_unique_name (f->connection),
                            f->path, INTERFACE, "Echo", g_variant_new ("(s)", "queued"), NULL,
                            G_DBUS_CALL_FLAGS_NONE, -1, NULL, call_done_cb, &results[i]);
  while (n_done < G_N_ELEMENTS (results))
    {
      g_main_context_iteration (NULL, TRUE);
      n_done = 0;
      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        n_done += results[i] != NULL;
    }
  g_dbus_connection_remove_filter (f->connection, filter);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) reply =
        g_dbus_connection_call_finish (f->connection, results[i], &error);

      g_assert_no_error (error);
      g_object_unref (results[i]);
    }
  g_assert_cmpuint (f->n_loads, ==, 1);
}

static void
test_failure (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *answer = NULL;

  f->n_failures = 1;
  failed = echo (f, "hello", &error);
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED);
  g_assert_null (failed);
  g_assert_null (kontor_lazy_interface_get_skeleton (f->lazy));
  g_clear_error (&error);

  answer = echo (f, "hello", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "hello");
  g_assert_cmpuint (f->n_loads, ==, 1);
}

static void
test_load_unexport (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *answer = NULL;
  GDBusInterfaceSkeleton *skeleton = kontor_lazy_interface_load (f->lazy, &error);

  g_assert_no_error (error);
  g_assert_true (kontor_lazy_interface_load (f->lazy, NULL) == skeleton);
  wait_swapped (f);

  kontor_lazy_interface_unexport (f->lazy);
  kontor_lazy_interface_unexport (f->lazy);
  g_assert_null (g_dbus_interface_skeleton_get_connection (skeleton));
  answer = echo (f, "hello", &error);
  g_assert_nonnull (error);
  g_assert_null (answer);
  g_assert_cmpuint (f->n_loads, ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/kontor/lazy-interface/introspect", test_introspect);
  ADD ("/kontor/lazy-interface/call", test_call);
  ADD ("/kontor/lazy-interface/property", test_property);
  ADD ("/kontor/lazy-interface/queued", test_queued);
  ADD ("/kontor/lazy-interface/failure", test_failure);
  ADD ("/kontor/lazy-interface/load-unexport", test_load_unexport);
#undef ADD

  return g_test_run ();
}
