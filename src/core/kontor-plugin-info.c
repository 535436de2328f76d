/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-plugin-info.c: id, module, state and the plugin instance of one plugin.
 * A module that could not even be opened has no instance; its id then comes from
 * its file name so the user still sees what failed. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-plugin-info.h"

struct _KontorPluginInfo
{
  GObject parent_instance;

  char *id;
  char *module_path;
  KontorPlugin *plugin;
  KontorPluginState state;
  char *error_message;
};

G_DEFINE_FINAL_TYPE (KontorPluginInfo, kontor_plugin_info, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_plugin_info_dispose (GObject *object)
{
  KontorPluginInfo *self = KONTOR_PLUGIN_INFO (object);

  g_clear_object (&self->plugin);

  G_OBJECT_CLASS (kontor_plugin_info_parent_class)->dispose (object);
}

static void
kontor_plugin_info_finalize (GObject *object)
{
  KontorPluginInfo *self = KONTOR_PLUGIN_INFO (object);

  g_free (self->id);
  g_free (self->module_path);
  g_free (self->error_message);

  G_OBJECT_CLASS (kontor_plugin_info_parent_class)->finalize (object);
}

static void
kontor_plugin_info_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorPluginInfo *self = KONTOR_PLUGIN_INFO (object);

  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;
      case PROP_TITLE:
        g_value_set_string (value, kontor_plugin_info_get_title (self));
        break;
      case PROP_ICON_NAME:
        g_value_set_string (value, kontor_plugin_info_get_icon_name (self));
        break;
      case PROP_STATE:
        g_value_set_int (value, self->state);
        break;
      case PROP_ERROR_MESSAGE:
        g_value_set_string (value, self->error_message);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_plugin_info_class_init (KontorPluginInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kontor_plugin_info_dispose;
  object_class->finalize = kontor_plugin_info_finalize;
  object_class->get_property = kontor_plugin_info_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, KONTOR_PLUGIN_STATE_LOADED, KONTOR_PLUGIN_STATE_FAILED,
                      KONTOR_PLUGIN_STATE_DISABLED, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_plugin_info_init (KontorPluginInfo *self)
{
  self->state = KONTOR_PLUGIN_STATE_DISABLED;
}

KontorPluginInfo *
kontor_plugin_info_new (const char *id, const char *module_path)
{
  KontorPluginInfo *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_PLUGIN_INFO, NULL);
  self->id = g_strdup (id);
  self->module_path = g_strdup (module_path);
  return self;
}

const char *
kontor_plugin_info_get_id (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), NULL);
  return self->id;
}

const char *
kontor_plugin_info_get_module_path (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), NULL);
  return self->module_path;
}

const char *
kontor_plugin_info_get_title (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), NULL);
  return self->plugin ? kontor_plugin_get_title (self->plugin) : self->id;
}

const char *
kontor_plugin_info_get_icon_name (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), NULL);
  return self->plugin ? kontor_plugin_get_icon_name (self->plugin) : "dialog-error-symbolic";
}

int
kontor_plugin_info_get_order (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), G_MAXINT);
  return self->plugin ? kontor_plugin_get_order (self->plugin) : G_MAXINT;
}

KontorPluginState
kontor_plugin_info_get_state (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), KONTOR_PLUGIN_STATE_FAILED);
  return self->state;
}

/* The names used on D-Bus and by kontorctl; not translated. */
const char *
kontor_plugin_info_get_state_name (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), NULL);

  switch (self->state)
    {
      case KONTOR_PLUGIN_STATE_LOADED:
        return "loaded";
      case KONTOR_PLUGIN_STATE_DISABLED:
        return "disabled";
      case KONTOR_PLUGIN_STATE_FAILED:
      default:
        return "failed";
    }
}

const char *
kontor_plugin_info_get_error_message (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), NULL);
  return self->error_message;
}

/**
 * kontor_plugin_info_get_plugin:
 *
 * Returns: (transfer none) (nullable): the instance, also when disabled; %NULL when
 * the module could not be opened.
 */
KontorPlugin *
kontor_plugin_info_get_plugin (KontorPluginInfo *self)
{
  g_return_val_if_fail (KONTOR_IS_PLUGIN_INFO (self), NULL);
  return self->plugin;
}

void
kontor_plugin_info_set_plugin (KontorPluginInfo *self, KontorPlugin *plugin)
{
  g_return_if_fail (KONTOR_IS_PLUGIN_INFO (self));

  if (g_set_object (&self->plugin, plugin))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
    }
}

void
kontor_plugin_info_set_state (KontorPluginInfo *self,
                              KontorPluginState state,
                              const char *error_message)
{
  g_return_if_fail (KONTOR_IS_PLUGIN_INFO (self));

  if (g_strcmp0 (self->error_message, error_message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}
