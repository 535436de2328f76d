/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-context.c: owns the services plugins share; plugins only ever reach shared
 * state through this object. The account service lives in libkontor-services.so,
 * which is opened only when the service is first asked for (kontor-library.c). */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-context.h"
#include "kontor-library.h"

struct _KontorContext
{
  GObject parent_instance;

  /* Owned */
  GSettings *settings;
  GDBusConnection *connection;
  GCancellable *cancellable;
  KontorAccountService *account_service;

  gboolean account_service_failed;
};

G_DEFINE_FINAL_TYPE (KontorContext, kontor_context, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_CONNECTION,
  N_PROPS
};

enum
{
  OPEN_URI,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
kontor_context_dispose (GObject *object)
{
  KontorContext *self = KONTOR_CONTEXT (object);

  kontor_context_shutdown (self);
  g_clear_object (&self->account_service);
  g_clear_object (&self->settings);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (kontor_context_parent_class)->dispose (object);
}

static void
kontor_context_finalize (GObject *object)
{
  KontorContext *self = KONTOR_CONTEXT (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kontor_context_parent_class)->finalize (object);
}

static void
kontor_context_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorContext *self = KONTOR_CONTEXT (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;
      case PROP_CONNECTION:
        g_value_set_object (value, self->connection);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_context_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KontorContext *self = KONTOR_CONTEXT (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;
      case PROP_CONNECTION:
        self->connection = g_value_dup_object (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_context_class_init (KontorContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_context_dispose;
  object_class->finalize = kontor_context_finalize;
  object_class->get_property = kontor_context_get_property;
  object_class->set_property = kontor_context_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KontorContext::open-uri:
   * @uri: what a plugin asks to open (an attachment, a mailto: link, ...)
   *
   * The shell routes @uri to the plugin that opens it; a plugin never calls another
   * plugin directly.
   */
  signals[OPEN_URI] = g_signal_new ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kontor_context_init (KontorContext *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * kontor_context_new:
 * @settings: the application's settings
 * @connection: (nullable): the D-Bus connection plugins export on, if any
 */
KontorContext *
kontor_context_new (GSettings *settings, GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (KONTOR_TYPE_CONTEXT, "settings", settings, "connection", connection, NULL);
}

GSettings *
kontor_context_get_settings (KontorContext *self)
{
  g_return_val_if_fail (KONTOR_IS_CONTEXT (self), NULL);
  return self->settings;
}

GDBusConnection *
kontor_context_get_connection (KontorContext *self)
{
  g_return_val_if_fail (KONTOR_IS_CONTEXT (self), NULL);
  return self->connection;
}

const char *
kontor_context_get_object_path (KontorContext *self)
{
  g_return_val_if_fail (KONTOR_IS_CONTEXT (self), NULL);
  return OBJECT_PATH;
}

/**
 * kontor_context_get_cancellable:
 *
 * Cancelled when the application shuts down; plugins chain their own
 * cancellables to it so no operation outlives the process's main loop.
 */
GCancellable *
kontor_context_get_cancellable (KontorContext *self)
{
  g_return_val_if_fail (KONTOR_IS_CONTEXT (self), NULL);
  return self->cancellable;
}

/**
 * kontor_context_get_account_service:
 *
 * The accounts every plugin shares. Made on first use, which opens
 * libkontor-services.so; it connects to the source registry only when asked for
 * accounts, so start-up does not wait for it.
 *
 * Returns: (transfer none) (nullable): the account service, or %NULL when
 *   libkontor-services.so cannot be opened (a broken installation; logged once)
 */
KontorAccountService *
kontor_context_get_account_service (KontorContext *self)
{
  typedef KontorAccountService *(*ServiceNew) (const char *config_dir, const char *data_dir,
                                               const char *cache_dir);
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cache = NULL;
  ServiceNew service_new;

  g_return_val_if_fail (KONTOR_IS_CONTEXT (self), NULL);

  if (self->account_service != NULL || self->account_service_failed)
    return self->account_service;

  service_new =
    (ServiceNew) kontor_library_lookup ("kontor-services", "kontor_account_service_new", &error);
  if (service_new == NULL)
    {
      g_warning ("No account service: %s", error->message);
      self->account_service_failed = TRUE;
      return NULL;
    }

  config = g_build_filename (g_get_user_config_dir (), "kontor", NULL);
  data = g_build_filename (g_get_user_data_dir (), "kontor", NULL);
  cache = g_build_filename (g_get_user_cache_dir (), "kontor", NULL);
  self->account_service = service_new (config, data, cache);
  return self->account_service;
}

void
kontor_context_request_open (KontorContext *self, const char *uri)
{
  g_return_if_fail (KONTOR_IS_CONTEXT (self));
  g_return_if_fail (uri != NULL);

  g_signal_emit (self, signals[OPEN_URI], 0, uri);
}

/* Safe to call more than once. */
void
kontor_context_shutdown (KontorContext *self)
{
  g_return_if_fail (KONTOR_IS_CONTEXT (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}
