/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-lazy-interface.c: puts a D-Bus interface on an object path at once, with a
 * stub registration that knows only the interface's description; the first method
 * call or property access asks the loader for the real skeleton and hands it the
 * call, and the skeleton then takes the stub's place on the path. So a service can
 * own its bus name with every interface visible (introspection needs no loading)
 * while the code behind an interface, and the libraries it needs, are loaded only
 * when somebody uses it.
 *
 * The stub's description must be the skeleton's own, as gdbus-codegen's
 * <prefix>_interface_info () returns it: the generated handlers read their extended
 * method info from the invocation the stub received.
 *
 * The swap waits for an idle of low priority. GDBus queues each call with the
 * registration it was found on and refuses it ("No such interface") if that
 * registration is gone by the time it is dispatched, so unregistering the stub
 * within the first call would refuse the calls that arrived while the loader ran;
 * instead the stub answers those through the skeleton too. Only until the swap, the
 * skeleton's signals are not sent (it is on no connection yet); a call arriving in
 * the very moment of the swap could still be refused. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-lazy-interface.h"

struct _KontorLazyInterface
{
  GObject parent_instance;

  /* Owned */
  GDBusInterfaceInfo *info;
  GDBusInterfaceSkeleton *skeleton;
  GDBusConnection *connection;
  char *object_path;
  gpointer user_data;
  GDestroyNotify user_data_free;

  KontorLazyInterfaceLoader loader;
  guint registration_id; /* of the stub, while it stands in for the skeleton */
  guint swap_id;
  gboolean keep_stub;
};

G_DEFINE_FINAL_TYPE (KontorLazyInterface, kontor_lazy_interface, G_TYPE_OBJECT)

static void
stub_method_call (GDBusConnection *connection,
                  const char *sender,
                  const char *object_path,
                  const char *interface_name,
                  const char *method_name,
                  GVariant *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer user_data)
{
  g_autoptr (KontorLazyInterface) self = g_object_ref (KONTOR_LAZY_INTERFACE (user_data));
  g_autoptr (GError) error = NULL;
  GDBusInterfaceSkeleton *skeleton = kontor_lazy_interface_load (self, &error);

  if (skeleton == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }
  /* The skeleton's own dispatch, which takes over the invocation. */
  g_dbus_interface_skeleton_get_vtable (skeleton)->method_call (
    connection, sender, object_path, interface_name, method_name, parameters, invocation, skeleton);
}

static GVariant *
stub_get_property (GDBusConnection *connection,
                   const char *sender,
                   const char *object_path,
                   const char *interface_name,
                   const char *property_name,
                   GError **error,
                   gpointer user_data)
{
  g_autoptr (KontorLazyInterface) self = g_object_ref (KONTOR_LAZY_INTERFACE (user_data));
  GDBusInterfaceSkeleton *skeleton = kontor_lazy_interface_load (self, error);
  GDBusInterfaceVTable *vtable;

  if (skeleton == NULL)
    return NULL;
  vtable = g_dbus_interface_skeleton_get_vtable (skeleton);
  if (vtable->get_property == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, "No property %s", property_name);
      return NULL;
    }
  return vtable->get_property (connection, sender, object_path, interface_name, property_name,
                               error, skeleton);
}

static gboolean
stub_set_property (GDBusConnection *connection,
                   const char *sender,
                   const char *object_path,
                   const char *interface_name,
                   const char *property_name,
                   GVariant *value,
                   GError **error,
                   gpointer user_data)
{
  g_autoptr (KontorLazyInterface) self = g_object_ref (KONTOR_LAZY_INTERFACE (user_data));
  GDBusInterfaceSkeleton *skeleton = kontor_lazy_interface_load (self, error);
  GDBusInterfaceVTable *vtable;

  if (skeleton == NULL)
    return FALSE;
  vtable = g_dbus_interface_skeleton_get_vtable (skeleton);
  if (vtable->set_property == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, "No property %s", property_name);
      return FALSE;
    }
  return vtable->set_property (connection, sender, object_path, interface_name, property_name,
                               value, error, skeleton);
}

static const GDBusInterfaceVTable stub_vtable = {
  stub_method_call,
  stub_get_property,
  stub_set_property,
  { 0 },
};

static void
kontor_lazy_interface_dispose (GObject *object)
{
  KontorLazyInterface *self = KONTOR_LAZY_INTERFACE (object);

  kontor_lazy_interface_unexport (self);
  if (self->skeleton != NULL)
    g_signal_handlers_disconnect_matched (self->skeleton, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                          self);
  g_clear_object (&self->skeleton);
  if (self->user_data_free != NULL && self->user_data != NULL)
    self->user_data_free (g_steal_pointer (&self->user_data));

  G_OBJECT_CLASS (kontor_lazy_interface_parent_class)->dispose (object);
}

static void
kontor_lazy_interface_finalize (GObject *object)
{
  KontorLazyInterface *self = KONTOR_LAZY_INTERFACE (object);

  g_clear_pointer (&self->info, g_dbus_interface_info_unref);

  G_OBJECT_CLASS (kontor_lazy_interface_parent_class)->finalize (object);
}

static void
kontor_lazy_interface_class_init (KontorLazyInterfaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_lazy_interface_dispose;
  object_class->finalize = kontor_lazy_interface_finalize;
}

static void
kontor_lazy_interface_init (KontorLazyInterface *self)
{
}

/**
 * kontor_lazy_interface_new:
 * @info: the interface, from the generated code: <prefix>_interface_info ()
 * @loader: makes the skeleton when the interface is first used
 * @user_data: for @loader
 * @user_data_free: (nullable): frees @user_data when this object is disposed
 */
KontorLazyInterface *
kontor_lazy_interface_new (GDBusInterfaceInfo *info,
                           KontorLazyInterfaceLoader loader,
                           gpointer user_data,
                           GDestroyNotify user_data_free)
{
  KontorLazyInterface *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (loader != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_LAZY_INTERFACE, NULL);
  self->info = g_dbus_interface_info_ref (info);
  self->loader = loader;
  self->user_data = user_data;
  self->user_data_free = user_data_free;
  return self;
}

/**
 * kontor_lazy_interface_export:
 *
 * Puts the interface on @object_path of @connection: the stub until the skeleton
 * is loaded, the skeleton after. One connection at a time.
 */
gboolean
kontor_lazy_interface_export (KontorLazyInterface *self,
                              GDBusConnection *connection,
                              const char *object_path,
                              GError **error)
{
  g_return_val_if_fail (KONTOR_IS_LAZY_INTERFACE (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (g_variant_is_object_path (object_path), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  if (self->skeleton != NULL)
    {
      if (!g_dbus_interface_skeleton_export (self->skeleton, connection, object_path, error))
        return FALSE;
    }
  else
    {
      self->registration_id = g_dbus_connection_register_object (
        connection, object_path, self->info, &stub_vtable, self, NULL, error);
      if (self->registration_id == 0)
        return FALSE;
    }

  self->connection = g_object_ref (connection);
  self->object_path = g_strdup (object_path);
  return TRUE;
}

/* Safe to call more than once. */
void
kontor_lazy_interface_unexport (KontorLazyInterface *self)
{
  g_return_if_fail (KONTOR_IS_LAZY_INTERFACE (self));

  g_clear_handle_id (&self->swap_id, g_source_remove);
  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  if (self->skeleton != NULL && self->connection != NULL &&
      g_dbus_interface_skeleton_has_connection (self->skeleton, self->connection))
    g_dbus_interface_skeleton_unexport_from_connection (self->skeleton, self->connection);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->object_path, g_free);
}

static gboolean
swap_cb (gpointer user_data)
{
  KontorLazyInterface *self = user_data;
  g_autoptr (GError) error = NULL;

  self->swap_id = 0;
  g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  if (!g_dbus_interface_skeleton_export (self->skeleton, self->connection, self->object_path,
                                         &error))
    g_warning ("%s could not be exported on %s: %s", self->info->name, self->object_path,
               error->message);
  return G_SOURCE_REMOVE;
}

/* With keep-stub the skeleton is on no connection, so its signals would go nowhere:
 * each of the interface's signals is sent from the stub's place instead, as the
 * skeleton would have sent it. */
typedef struct
{
  GClosure closure;
  GDBusSignalInfo *info;
} ForwardClosure;

static void
forward_signal_marshal (GClosure *closure,
                        GValue *return_value,
                        guint n_values,
                        const GValue *values,
                        gpointer hint,
                        gpointer marshal_data)
{
  KontorLazyInterface *self = closure->data;
  GDBusSignalInfo *info = ((ForwardClosure *) closure)->info;
  GVariantBuilder builder;
  guint n_args = 0;

  if (self->connection == NULL || self->registration_id == 0)
    return;
  g_variant_builder_init (&builder, G_VARIANT_TYPE_TUPLE);
  for (; info->args != NULL && info->args[n_args] != NULL && n_args + 1 < n_values; n_args++)
    {
      g_autoptr (GVariant) arg = g_dbus_gvalue_to_gvariant (
        &values[n_args + 1], G_VARIANT_TYPE (info->args[n_args]->signature));

      g_variant_builder_add_value (&builder, arg);
    }
  g_dbus_connection_emit_signal (self->connection, NULL, self->object_path, self->info->name,
                                 info->name, g_variant_builder_end (&builder), NULL);
}

/* gdbus-codegen's GObject signal name: "MessageAdded" is "message-added". */
static char *
signal_name (const char *dbus_name)
{
  GString *name = g_string_new (NULL);

  for (const char *c = dbus_name; *c != '\0'; c++)
    {
      if (g_ascii_isupper (*c) && c != dbus_name && !g_ascii_isupper (c[-1]))
        g_string_append_c (name, '-');
      g_string_append_c (name, g_ascii_tolower (*c));
    }
  return g_string_free (name, FALSE);
}

static void
forward_signals (KontorLazyInterface *self)
{
  for (guint i = 0; self->info->signals != NULL && self->info->signals[i] != NULL; i++)
    {
      g_autofree char *name = signal_name (self->info->signals[i]->name);
      GClosure *closure;

      if (g_signal_lookup (name, G_OBJECT_TYPE (self->skeleton)) == 0)
        {
          g_warning ("%s has no signal %s", G_OBJECT_TYPE_NAME (self->skeleton), name);
          continue;
        }
      closure = g_closure_new_simple (sizeof (ForwardClosure), self);
      ((ForwardClosure *) closure)->info = self->info->signals[i];
      g_closure_set_marshal (closure, forward_signal_marshal);
      g_signal_connect_closure (self->skeleton, name, closure, FALSE);
    }
}

/**
 * kontor_lazy_interface_load:
 *
 * Makes the skeleton now, if it is not made yet: for an implementation that has
 * signals to send before anybody called it. The skeleton takes the stub's place on
 * the bus from an idle.
 *
 * Returns: (transfer none) (nullable): the skeleton, or %NULL with @error set by the
 *   loader
 */
GDBusInterfaceSkeleton *
kontor_lazy_interface_load (KontorLazyInterface *self, GError **error)
{
  GDBusInterfaceSkeleton *skeleton;

  g_return_val_if_fail (KONTOR_IS_LAZY_INTERFACE (self), NULL);

  if (self->skeleton != NULL)
    return self->skeleton;

  skeleton = self->loader (self->user_data, error);
  if (skeleton == NULL)
    return NULL;
  g_return_val_if_fail (G_IS_DBUS_INTERFACE_SKELETON (skeleton), NULL);
  self->skeleton = skeleton;
  g_debug ("Loaded %s", self->info->name);

  if (self->keep_stub)
    forward_signals (self);
  /* After the calls already queued for the stub (see the top of this file). */
  else if (self->registration_id != 0)
    self->swap_id = g_idle_add_full (G_PRIORITY_LOW, swap_cb, self, NULL);
  return self->skeleton;
}

/**
 * kontor_lazy_interface_set_keep_stub:
 *
 * With @keep_stub, the stub stays on the bus for good and answers every call through
 * the skeleton, so no call can ever meet the moment of a swap; the skeleton is never
 * exported, and the interface sends its signals itself
 * (g_dbus_connection_emit_signal ()). For interfaces called in quick bursts.
 */
void
kontor_lazy_interface_set_keep_stub (KontorLazyInterface *self, gboolean keep_stub)
{
  g_return_if_fail (KONTOR_IS_LAZY_INTERFACE (self));
  self->keep_stub = !!keep_stub;
}

/**
 * kontor_lazy_interface_get_skeleton:
 *
 * Returns: (transfer none) (nullable): the skeleton, or %NULL while it is not loaded
 */
GDBusInterfaceSkeleton *
kontor_lazy_interface_get_skeleton (KontorLazyInterface *self)
{
  g_return_val_if_fail (KONTOR_IS_LAZY_INTERFACE (self), NULL);
  return self->skeleton;
}
